// PanelProps as Grafana passes them; the Warden panels read only options and size.
import type { PanelProps } from '@grafana/data';

export function panelProps<T>(options: T): PanelProps<T> {
  return { options, width: 600, height: 300, id: 1, title: 'panel' } as unknown as PanelProps<T>;
}
