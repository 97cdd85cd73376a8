// The up-front functions the lazy chat chunk uses, set once by SessionManager when it loads the
// chunk (see chatKit.ts for why they are not imported).
import type { ChatKit } from '../chatKit.ts';

let current: ChatKit | undefined;

export function setKit(kit: ChatKit): void {
  current = kit;
}

export function kit(): ChatKit {
  if (!current) throw new Error('unreachable: the chat chunk is used before SessionManager loaded it');
  return current;
}
