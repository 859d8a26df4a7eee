/** The workspace a window shows is in its address (`?workspace=/abs/path`), so reload keeps it. */
export const WORKSPACE_QUERY = 'workspace';

export function workspaceFromHref(href: string): string | null {
  const value = new URL(href).searchParams.get(WORKSPACE_QUERY);
  return value ? value : null;
}

/** The same address showing another workspace (path, query and hash kept; origin dropped). */
export function hrefWithWorkspace(href: string, path: string): string {
  const url = new URL(href);
  url.searchParams.set(WORKSPACE_QUERY, path);
  return url.pathname + url.search + url.hash;
}
