import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Text, useStyles2 } from '@grafana/ui';
import type { ReactNode } from 'react';
import type { Manifest } from '../../../backend/src/contract/index.js';
import { formatBytes, formatCount, formatDuration, formatTime } from '../../shared/utils/format';
import { describeMethod } from './method';

/** The manifest's facts: when, how, from which server with which tool, where in the binlog, checksums. */
export function BackupFacts({ manifest: m }: { manifest: Manifest }) {
  const styles = useStyles2(getStyles);
  const facts: Array<[string, ReactNode]> = [
    ['Target', m.target],
    ['Databases', m.databases.join(', ') || '–'],
    ['Started', formatTime(m.startedAt)],
    ['Duration', formatDuration(m.durationSeconds)],
    ['Method', `${describeMethod(m)}, ${m.compression}`],
    ['Size', `${formatBytes(m.bytes)} stored, ${formatBytes(m.rawBytes)} raw`],
    ['Rows', `${formatCount(m.rows)} in ${m.tables.length} tables`],
    ['Server', [m.server.endpoint, m.server.version].filter(Boolean).join(' · ')],
    ['Tool', m.tool ? `${m.tool.name} (${m.tool.version})` : '–'],
    ['Binlog position', binlog(m)],
    ['Checksum (sha256)', m.sha256 ? <code className={styles.hash}>{m.sha256}</code> : '–'],
  ];
  return (
    <div>
      <dl className={styles.list}>
        {facts.map(([label, value]) => (
          <div key={label} className={styles.row}>
            <dt className={styles.label}>{label}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
      </dl>
      {m.files.length > 0 && (
        <table className={styles.files} aria-label="Files">
          <thead>
            <tr>
              <th>File</th>
              <th>Stored</th>
              <th>sha256 (stored)</th>
              <th>sha256 (raw)</th>
            </tr>
          </thead>
          <tbody>
            {m.files.map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td>{formatBytes(f.bytes)}</td>
                <td>
                  <code className={styles.hash}>{f.sha256}</code>
                </td>
                <td>
                  <code className={styles.hash}>{f.rawSha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {m.warnings.length > 0 && (
        <Text element="p" color="warning">
          {m.warnings.join(' · ')}
        </Text>
      )}
    </div>
  );
}

function binlog(m: Manifest): string {
  if (!m.binlog || (!m.binlog.file && !m.binlog.gtid)) return 'not recorded (binary log off)';
  const position = m.binlog.file ? `${m.binlog.file}:${m.binlog.position ?? '?'}` : '';
  return [position, m.binlog.gtid && `GTID ${m.binlog.gtid}`].filter(Boolean).join(' · ');
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))', gap: theme.spacing(1, 3) }),
  row: css({ display: 'flex', gap: theme.spacing(1) }),
  label: css({ color: theme.colors.text.secondary, minWidth: 130, margin: 0 }),
  value: css({ margin: 0, wordBreak: 'break-all' }),
  hash: css({ fontSize: theme.typography.bodySmall.fontSize }),
  files: css({
    marginTop: theme.spacing(2),
    width: '100%',
    'th, td': { padding: theme.spacing(0.5, 1), textAlign: 'left', borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
});
