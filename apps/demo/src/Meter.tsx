/** A bar of `share` (0–1, capped) with its numbers as text beside it. */
export function Meter({ share, text, testId }: { share: number; text: string; testId: string }) {
  const level = share >= 1 ? 'full' : share >= 0.75 ? 'high' : 'ok';
  return (
    <div className="meter" data-testid={testId}>
      <div className={`meter__track meter__track--${level}`} aria-hidden="true" data-share={share.toFixed(3)}>
        <div className="meter__fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="meter__text">{text}</span>
    </div>
  );
}
