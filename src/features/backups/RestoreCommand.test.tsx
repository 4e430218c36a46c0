import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RestoreCommand } from './RestoreCommand';

const CONFIG = '/etc/warden/warden.yaml';
const commands = () => screen.getAllByTestId('restore-command').map((c) => c.textContent);

describe('RestoreCommand', () => {
  it('offers one command per database: into <db>_restored, from --source-database, with the agent config', () => {
    render(<RestoreCommand id="b1" target="shop" databases={['shop', 'shop_archive']} configFile={CONFIG} />);
    expect(commands()).toEqual([
      `warden restore -c ${CONFIG} --target shop --source-database shop --database shop_restored b1`,
      `warden restore -c ${CONFIG} --target shop --source-database shop_archive --database shop_archive_restored b1`,
    ]);
    expect(screen.getAllByRole('button', { name: /copy/i })).toHaveLength(2);
    expect(screen.queryByText(/placeholder/i)).not.toBeInTheDocument();
  });

  it('quotes hostile database names, so pasting the line runs warden and nothing else', () => {
    const names = ['x$(touch pwned)', "it's", 'a`id`b', 'a\nb', 'a;b', 'a && b', '-x', 'café', ''];
    render(<RestoreCommand id="b1" target="shop" databases={names} configFile="/srv/my warden.yaml" />);
    expect(commands()).toEqual([
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'x$(touch pwned)' --database 'x$(touch pwned)_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'it'\\''s' --database 'it'\\''s_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'a\`id\`b' --database 'a\`id\`b_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'a\nb' --database 'a\nb_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'a;b' --database 'a;b_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'a && b' --database 'a && b_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database -x --database -x_restored b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database 'café' --database 'café_restored' b1`,
      `warden restore -c '/srv/my warden.yaml' --target shop --source-database '' --database _restored b1`,
    ]);
  });

  it('marks what the agent did not say with placeholders, and says so', () => {
    render(<RestoreCommand id="b1" target="shop" databases={[]} configFile={null} />);
    expect(commands()).toEqual([`warden restore -c '<config file of the agent>' --target shop --database '<new database>' b1`]);
    expect(screen.getByText(/placeholder/i)).toBeInTheDocument();
  });

  it('warns about names with invisible or control characters', () => {
    render(<RestoreCommand id="b1" target="shop" databases={['shop\u202Egnp.exe']} configFile={CONFIG} />);
    expect(screen.getByText(/invisible or control characters/)).toBeInTheDocument();
  });
});
