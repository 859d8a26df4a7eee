import { useCallback, useEffect, useRef, useState } from 'react';
import type { LatheError, Result } from '../../../../shared/contract/result.ts';

/** What a view knows of something main holds: nothing asked, being read, read, or unreadable. */
export type Loaded<T> = { readonly state: 'idle' } | { readonly state: 'loading' } | { readonly state: 'ready'; readonly value: T } | { readonly state: 'failed'; readonly error: LatheError };

type Answer<T> = { readonly key: string; readonly result: Result<T> };

/** An answer kept with the question it answers: an answer to another question reads as "loading". */
export function loadedFrom<T>(key: string | null, answer: Answer<T> | null): Loaded<T> {
  if (key === null) return { state: 'idle' };
  if (answer?.key !== key) return { state: 'loading' };
  return answer.result.ok ? { state: 'ready', value: answer.result.value } : { state: 'failed', error: answer.result.error };
}

/**
 * Ask main once per `key` (null: ask nothing) and keep the answer; `reload()` asks again, keeping
 * the last answer on screen until the new one arrives. An answer to a question no longer on
 * screen is dropped, so a slow reply never overwrites a newer one.
 */
export function useAnswer<T>(key: string | null, ask: () => Promise<Result<T>>): { loaded: Loaded<T>; reload: () => void } {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  const [round, setRound] = useState(0);
  // `ask` is a new function each render; the key says when the question changed.
  const askRef = useRef(ask);
  useEffect(() => {
    askRef.current = ask;
  });

  useEffect(() => {
    if (key === null) return;
    let live = true;
    void askRef.current().then((result) => {
      if (live) setAnswer({ key, result });
    });
    return () => {
      live = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((current) => current + 1), []);
  return { loaded: loadedFrom(key, answer), reload };
}
