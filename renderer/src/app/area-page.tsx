import { createElement, lazy, Suspense } from 'react';
import { areas, type Area } from './areas.ts';
import { NotBuiltPage } from './not-built-page.tsx';

/** One lazily loaded component per built area, made once: each page is loaded on first visit. */
const pages = new Map(
  areas.flatMap((area) => {
    const load = area.page;
    return load ? [[area.id, lazy(async () => ({ default: await load() }))] as const] : [];
  }),
);

/** The page of the area on screen; an area not built yet says so. */
export function AreaPage({ area }: { area: Area }) {
  const Page = pages.get(area.id);
  if (!Page) return <NotBuiltPage area={area} />;
  return (
    <Suspense fallback={<div className="area-loading" aria-busy="true" />}>
      {/* One component per area, made once at load (above): its identity never changes between renders. */}
      {createElement(Page)}
    </Suspense>
  );
}
