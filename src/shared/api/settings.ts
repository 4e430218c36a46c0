// How the app stores its agents. Grafana's route templating reads flat keys only
// (`{{ .JsonData.agent0Url }}`, `{{ .SecureJsonData.agent0Token }}`), so every agent owns a fixed
// slot with one route in plugin.json. The slot never changes, because a saved token cannot be read
// back to move it elsewhere.

export const MAX_AGENTS = 8;

export interface AgentConfig {
  slot: number;
  name: string;
  url: string;
}

export interface AppJsonData {
  agents?: AgentConfig[];
  /** agent<slot>Url: what the plugin routes proxy to */
  [slotUrl: `agent${number}Url`]: string | undefined;
}

export const urlKey = (slot: number) => `agent${slot}Url` as const;
export const tokenKey = (slot: number) => `agent${slot}Token`;

export function toJsonData(agents: AgentConfig[]): AppJsonData {
  const jsonData: AppJsonData = { agents: agents.map(({ slot, name, url }) => ({ slot, name: name.trim(), url: normalizeUrl(url) })) };
  for (const agent of agents) jsonData[urlKey(agent.slot)] = normalizeUrl(agent.url);
  return jsonData;
}

export function agentsFromJsonData(jsonData: AppJsonData | undefined): AgentConfig[] {
  return (jsonData?.agents ?? [])
    .filter((a) => Number.isInteger(a.slot) && a.slot >= 0 && a.slot < MAX_AGENTS && typeof a.url === 'string' && a.url !== '')
    .sort((a, b) => a.slot - b.slot);
}

/** The lowest slot not in use, or undefined when all are taken. */
export function freeSlot(agents: AgentConfig[]): number | undefined {
  const used = new Set(agents.map((a) => a.slot));
  for (let slot = 0; slot < MAX_AGENTS; slot++) if (!used.has(slot)) return slot;
  return undefined;
}

/** The route appends the request path itself; a trailing slash would double it. */
export function normalizeUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
