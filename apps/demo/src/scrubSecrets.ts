// The patterns live in core (the managers' and exports' `scrub`); the demo's endpoint code uses them too.
export { scrubSecrets } from '@ai-session-manager/core';
