import { allowedHostHeaders, hostNameForUrl } from '../server/request-guard.ts';

/**
 * Which `Host` headers the agent answers. Its own addresses only with its port, as `lathe serve`
 * does (a page's DNS rebinding cannot reach it); each `--allow-host` name with any port or none,
 * because a Kubernetes Service, KServe's ingress or a reverse proxy forwards the name its clients
 * used (`penguins-predictor.default.svc.cluster.local`, `models.example.com:443`), not the port
 * the agent listens on.
 */
export function agentHostCheck(settings: { bindHost: string; port: number; allowedHosts: readonly string[] }): (host: string | undefined) => boolean {
  const exact = allowedHostHeaders(settings);
  const named = new Set(settings.allowedHosts.map((name) => hostNameForUrl(name.trim())));
  return (header) => {
    if (header === undefined) return false;
    const host = header.toLowerCase();
    if (exact.has(host)) return true;
    const parts = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
    return parts !== null && named.has(parts[1] as string);
  };
}
