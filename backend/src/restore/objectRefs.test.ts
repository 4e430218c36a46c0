// The renamer of references in restored objects, on what SHOW CREATE keeps verbatim: any spacing
// or comment between a database name and its dot still makes a qualified reference.
import { describe, expect, it } from 'vitest';
import { rewriteObject } from './objectRefs.js';

const loaded = new Map([['shop', 'shop_restored']]);
const trigger = (body: string) => rewriteObject(`CREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW ${body}`, 'trigger', loaded, ['shop', 'crm']);

describe('rewriteObject', () => {
  it.each([
    ['INSERT INTO shop.audit VALUES (NEW.id)', 'INSERT INTO `shop_restored`.audit VALUES (NEW.id)'],
    ['INSERT INTO shop/**/.audit VALUES (NEW.id)', 'INSERT INTO `shop_restored`/**/.audit VALUES (NEW.id)'],
    ['INSERT INTO `shop`/* x */.`audit` VALUES (NEW.id)', 'INSERT INTO `shop_restored`/* x */.`audit` VALUES (NEW.id)'],
    ['INSERT INTO shop -- c\n.audit VALUES (NEW.id)', 'INSERT INTO `shop_restored` -- c\n.audit VALUES (NEW.id)'],
    ['INSERT INTO shop#c\n.audit VALUES (NEW.id)', 'INSERT INTO `shop_restored`#c\n.audit VALUES (NEW.id)'],
    ['INSERT INTO shop\n  .audit VALUES (NEW.id)', 'INSERT INTO `shop_restored`\n  .audit VALUES (NEW.id)'],
  ])('renames the database of %j', (body, renamed) => {
    const r = trigger(body);
    expect(r.text).toBe(`CREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW ${renamed}`);
    expect(r.renamed).toEqual(['shop']);
  });

  it('leaves what is not a qualified reference alone', () => {
    for (const body of ["SET @x = 'shop.audit'", 'SET @x = shop + .5', 'SET @x = shop', "SET @x = 'shop' /* c */ . 'audit'"]) {
      expect(trigger(body)).toMatchObject({ text: `CREATE TRIGGER t AFTER INSERT ON orders FOR EACH ROW ${body}`, renamed: [] });
    }
  });

  it('names the databases of the backup it does not load', () => {
    expect(trigger('INSERT INTO crm /* x */ .log VALUES (1)')).toMatchObject({ renamed: [], foreign: ['crm'] });
  });
});
