import { createContext, useContext, useMemo } from 'react';
import { AgentClient, getAppSettings } from '../../shared/api/client';
import { agentsFromJsonData, type AgentConfig } from '../../shared/api/settings';
import { useAsync, type AsyncState } from '../../shared/hooks/useAsync';

const AgentsContext = createContext<AgentConfig[] | undefined>(undefined);

/** The app root provides the agents from its own meta; panels have none and fetch the settings. */
export const AgentsProvider = AgentsContext.Provider;

export function useAgents(): AsyncState<AgentConfig[]> {
  const provided = useContext(AgentsContext);
  return useAsync(
    async () => provided ?? agentsFromJsonData((await getAppSettings()).jsonData),
    [provided],
  );
}

export function useClient(agent: AgentConfig): AgentClient {
  return useMemo(() => new AgentClient(agent), [agent]);
}
