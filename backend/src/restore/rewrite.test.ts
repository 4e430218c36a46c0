import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DatabaseRewriter, renameIn } from './rewrite.js';

// The shape mariadb-dump writes for `--databases shop other`, views revisited at the end.
const DUMP = `/*!40101 SET NAMES utf8mb4 */;

--
-- Current Database: \`shop\`
--

/*!40000 DROP DATABASE IF EXISTS \`shop\`*/;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`shop\` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;

USE \`shop\`;
CREATE TABLE \`t\` (\`id\` int, \`note\` text);
INSERT INTO \`t\` VALUES (1,'USE \`other\`;\\nCREATE DATABASE \`other\`;'),(2,'shop');
DELIMITER ;;
CREATE PROCEDURE \`p\`() BEGIN SELECT 'USE \`other\`'; END ;;
DELIMITER ;

--
-- Current Database: \`other\`
--

/*!40000 DROP DATABASE IF EXISTS \`other\`*/;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`other\` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;

USE \`other\`;
CREATE TABLE \`u\` (\`id\` int);
INSERT INTO \`u\` VALUES (1),(2),(3);
DELIMITER ;;
CREATE TRIGGER \`tr\` BEFORE INSERT ON \`u\` FOR EACH ROW BEGIN SET NEW.id = NEW.id + 1; END ;;
DELIMITER ;

--
-- Current Database: \`shop\`
--

USE \`shop\`;
/*!50001 CREATE VIEW \`v\` AS select 1 AS \`x\` */;

USE \`other\`;
/*!50001 CREATE VIEW \`w\` AS select 2 AS \`y\` */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2026-11-22  1:39:41
`;

async function rewrite(text: string, map: Record<string, string>, chunk = Infinity): Promise<string> {
  const buf = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk === Infinity ? buf.length : chunk) chunks.push(buf.subarray(i, Math.min(buf.length, i + chunk)));
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), new DatabaseRewriter({ databases: new Map(Object.entries(map)) }), async (source) => {
    for await (const c of source) out.push(c as Buffer);
  });
  return Buffer.concat(out).toString('utf8');
}

describe('DatabaseRewriter', () => {
  it('renames the database in its CREATE, DROP and USE statements only', async () => {
    const out = await rewrite(DUMP, { shop: 'copy', other: 'other_copy' });
    expect(out).toContain('/*!40000 DROP DATABASE IF EXISTS `copy`*/;');
    expect(out).toContain('CREATE DATABASE /*!32312 IF NOT EXISTS*/ `copy` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;');
    expect(out).toContain('USE `copy`;');
    expect(out).toContain('USE `other_copy`;');
    // Strings, routine bodies and comments keep their text.
    expect(out).toContain("(1,'USE `other`;\\nCREATE DATABASE `other`;'),(2,'shop')");
    expect(out).toContain("SELECT 'USE `other`'");
    expect(out).toContain('-- Current Database: `shop`');
    expect(out).not.toMatch(/^USE `(shop|other)`;/m);
    // Four statements name `other` (DROP, CREATE, two USE); nothing else changed.
    expect(Buffer.byteLength(out)).toBe(Buffer.byteLength(DUMP) + 4 * '_copy'.length);
  });

  it('drops everything of the databases not loaded, wherever they come back', async () => {
    const out = await rewrite(DUMP, { other: 'restored' });
    expect(out).toContain('CREATE DATABASE /*!32312 IF NOT EXISTS*/ `restored`');
    expect(out).toContain('CREATE TABLE `u`');
    expect(out).toContain('CREATE TRIGGER `tr`');
    expect(out).toContain('CREATE VIEW `w`');
    for (const gone of ['`shop`', 'CREATE TABLE `t`', 'PROCEDURE `p`', 'VIEW `v`']) expect(out).not.toContain(gone);
    // Every DELIMITER change that is kept is undone in what is kept; no executable comment is left open.
    const delimiters = out.match(/^DELIMITER .*$/gm) ?? [];
    expect(delimiters).toEqual(['DELIMITER ;;', 'DELIMITER ;']);
    expect((out.match(/\/\*!/g) ?? []).length).toBe((out.match(/\*\//g) ?? []).length);
    // The session settings before the first database stay.
    expect(out.startsWith('/*!40101 SET NAMES utf8mb4 */;')).toBe(true);
  });

  it('gives the same bytes whatever the chunk boundaries', async () => {
    const whole = await rewrite(DUMP, { other: 'restored' });
    for (const size of [1, 2, 7, 64, 333]) expect(await rewrite(DUMP, { other: 'restored' }, size), `chunk ${size}`).toBe(whole);
  });

  it('passes a dump without database statements through unchanged (per-table data files)', async () => {
    const data = "INSERT INTO `t` VALUES (1,'a'),(2,'b');\n-- Dump completed on 2026-11-22\n";
    expect(await rewrite(data, { shop: 'copy' })).toBe(data);
  });

  it('streams a long dump holding back only a bounded tail', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `(${i},'${'x'.repeat(50)}')`).join(',');
    const big = `USE \`shop\`;\nINSERT INTO \`t\` VALUES ${rows};\n`.repeat(5);
    const out = await rewrite(big, { shop: 'copy' }, 65_536);
    expect(out.length).toBe(big.length);
    expect(out.match(/USE `copy`;/g)).toHaveLength(5);
  });
});

describe('renameIn', () => {
  it('renames quoted and bare names after the keyword, byte for byte elsewhere', () => {
    const rename = (sql: string, from: string, to: string, skip = 0) => renameIn(Buffer.from(sql), skip, from, to).toString('utf8');
    expect(rename('USE `shop`;', 'shop', 'new')).toBe('USE `new`;');
    expect(rename('use shop;', 'shop', 'new')).toBe('use `new`;');
    expect(rename('CREATE DATABASE `da``tabase` /* é */;', 'da`tabase', 'n`ew')).toBe('CREATE DATABASE `n``ew` /* é */;');
    expect(rename('-- Current Database: `shop`\nUSE `shop`;', 'shop', 'new', 28)).toBe('-- Current Database: `shop`\nUSE `new`;');
    expect(rename('USE `ünï`;', 'ünï', 'ä')).toBe('USE `ä`;');
  });
});
