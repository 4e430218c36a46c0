import { PanelPlugin } from '@grafana/data';
import { VERIFY_LEVELS } from '../../../backend/src/contract/index.js';
import { addAgentOptions } from '../options';
import { ControlPanel, type ControlOptions } from './ControlPanel';

export const plugin = new PanelPlugin<ControlOptions>(ControlPanel).setPanelOptions((builder) =>
  addAgentOptions(builder).addRadio({
    path: 'verifyLevel',
    name: 'Verification level',
    description: 'What "Verify" checks on the newest good backup',
    defaultValue: 'parse',
    settings: { options: VERIFY_LEVELS.map((level) => ({ label: level, value: level })) },
  }),
);
