// Pod DNS as kubelet's dns.Configurer.GetPodDNS computes it. The edge has no cluster DNS address,
// so ClusterFirst(WithHostNet) falls back to the host's resolv.conf as kubelet does without
// --cluster-dns; spec.dnsConfig is merged on top and None uses spec.dnsConfig alone.
import type { DnsConfig } from '../../runtime/types.js';
import type { Pod } from '../pod-contracts.js';
import { obj, objs, str } from './json-fields.js';

const maxNameservers = 3;
const maxSearches = 32;
const maxSearchChars = 2048;

/** kubelet parseResolvConf: nameservers, the last search line, every options line. */
export function parseResolvConf(text: string): DnsConfig {
  const servers: string[] = [];
  let searches: string[] = [];
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '');
    const fields = line.trim().split(/\s+/).filter((f) => f !== '');
    const [kind, ...rest] = fields;
    if (kind === 'nameserver' && rest[0]) servers.push(rest[0]);
    else if (kind === 'search') searches = rest.filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    else if (kind === 'options') options.push(...rest);
  }
  return { servers, searches, options };
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

function mergeOptions(existing: string[], podOptions: unknown): string[] {
  const opts = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i >= 0) opts.set(op.slice(0, i), op.slice(i + 1));
    else opts.set(op, '');
  }
  for (const op of objs(podOptions)) {
    const name = str(op['name']);
    if (name) opts.set(name, str(op['value']) ?? '');
  }
  return [...opts].map(([k, v]) => (v === '' ? k : `${k}:${v}`));
}

function fitSearches(searches: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of searches.slice(0, maxSearches)) {
    if (chars + s.length + (out.length > 0 ? 1 : 0) > maxSearchChars) break;
    chars += s.length + (out.length > 0 ? 1 : 0);
    out.push(s);
  }
  return out;
}

/** The sandbox DNS config from the pod and the host's resolv.conf text. */
export function podDnsConfig(pod: Pod, hostResolvConf: string): DnsConfig {
  const policy = str(pod.spec['dnsPolicy']) ?? 'ClusterFirst';
  let base: DnsConfig = policy === 'None' ? { servers: [], searches: [], options: [] } : parseResolvConf(hostResolvConf);
  const podDns = pod.spec['dnsConfig'];
  if (podDns !== undefined && podDns !== null) {
    const d = obj(podDns);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    base = {
      servers: unique([...base.servers, ...strings(d['nameservers'])]),
      searches: unique([...base.searches, ...strings(d['searches'])]),
      options: mergeOptions(base.options, d['options']),
    };
  }
  return { servers: base.servers.slice(0, maxNameservers), searches: fitSearches(base.searches), options: base.options };
}
