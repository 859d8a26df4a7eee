/** The traffic split of a rollout: stable's share and the candidate's, as a bar and in numbers. */
export function TrafficSplit({ stableVersion, candidateVersion, candidateWeight }: { stableVersion: string; candidateVersion: string | null; candidateWeight: number }) {
  const candidate = candidateVersion === null ? 0 : Math.max(0, Math.min(100, candidateWeight));
  const stable = 100 - candidate;
  return (
    <figure className="traffic-split" aria-label="Traffic split">
      <div className="traffic-split__bar" role="img" aria-label={`stable v${stableVersion} ${stable}%, candidate ${candidateVersion === null ? 'none' : `v${candidateVersion} ${candidate}%`}`}>
        {stable > 0 ? (
          <span className="traffic-split__arm traffic-split__arm--stable" style={{ flexGrow: stable }}>
            {stable >= 12 ? `${stable}%` : ''}
          </span>
        ) : null}
        {candidate > 0 ? (
          <span className="traffic-split__arm traffic-split__arm--candidate" style={{ flexGrow: candidate }}>
            {candidate >= 12 ? `${candidate}%` : ''}
          </span>
        ) : null}
      </div>
      <figcaption className="traffic-split__legend">
        <span data-testid="stable-share">
          <span className="traffic-split__swatch traffic-split__swatch--stable" /> Stable <span className="mono">v{stableVersion}</span> <strong className="num">{stable}%</strong>
        </span>
        <span data-testid="candidate-share">
          <span className="traffic-split__swatch traffic-split__swatch--candidate" /> Candidate{' '}
          {candidateVersion === null ? (
            <span className="faint">none</span>
          ) : (
            <>
              <span className="mono">v{candidateVersion}</span> <strong className="num">{candidate}%</strong>
            </>
          )}
        </span>
      </figcaption>
    </figure>
  );
}
