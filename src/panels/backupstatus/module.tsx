import { PanelPlugin } from '@grafana/data';
import { addAgentOptions, type AgentPanelOptions } from '../options';
import { StatusPanel } from './StatusPanel';

export const plugin = new PanelPlugin<AgentPanelOptions>(StatusPanel)
  .setNoPadding()
  .setPanelOptions((builder) => addAgentOptions(builder));
