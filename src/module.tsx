import { AppPlugin } from '@grafana/data';
import type { AppJsonData } from './shared/api/settings';
import { App } from './App';
import { AppConfig } from './features/agents/AppConfig';

export const plugin = new AppPlugin<AppJsonData>().setRootPage(App).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
