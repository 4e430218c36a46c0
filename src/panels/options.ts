// Options both panels share: which agent, which of its targets. The choices are fetched from the
// app's settings and from the chosen agent, so users pick rather than type.
import type { PanelOptionsEditorBuilder, SelectableValue, SelectFieldConfigSettings } from '@grafana/data';
import { AgentClient, getAppSettings } from '../shared/api/client';
import { agentsFromJsonData, type AgentConfig } from '../shared/api/settings';

export interface AgentPanelOptions {
  /** the agent's slot; the first agent when unset */
  agent?: number;
  /** target names; every target when empty */
  targets?: string[];
}

async function configuredAgents(): Promise<AgentConfig[]> {
  return agentsFromJsonData((await getAppSettings()).jsonData);
}

export function pickAgent(agents: AgentConfig[], slot: number | undefined): AgentConfig | undefined {
  return agents.find((a) => a.slot === slot) ?? agents[0];
}

export function addAgentOptions<T extends AgentPanelOptions>(builder: PanelOptionsEditorBuilder<T>): PanelOptionsEditorBuilder<T> {
  return builder
    .addSelect({
      path: 'agent',
      name: 'Agent',
      description: 'Configured in the Warden app; the first one when unset',
      settings: {
        options: [],
        getOptions: async (): Promise<Array<SelectableValue<number>>> =>
          (await configuredAgents()).map((a) => ({ label: a.name, value: a.slot, description: a.url })),
      },
    })
    .addMultiSelect<string, SelectFieldConfigSettings<string>>({
      path: 'targets',
      name: 'Targets',
      description: 'Every target of the agent when empty',
      settings: {
        allowCustomValue: true,
        options: [],
        getOptions: async (context): Promise<Array<SelectableValue<string>>> => {
          const agent = pickAgent(await configuredAgents(), (context.options as AgentPanelOptions | undefined)?.agent);
          if (!agent) return [];
          return (await new AgentClient(agent).listTargets()).map((t) => ({ label: t.name, value: t.name }));
        },
      },
    });
}
