/**
 * The embedded server shares PGlite's one session between connections one exchange or transaction at a time.
 * pglite-socket's own multiplexer keeps a connection's turn only inside a transaction block, so another connection's
 * Parse lands between a Parse and its Bind (pglite issue #1046): the first test's client A then reads B's result.
 */
import pg from 'pg';
import { freshTestDatabase, type TestDatabase } from '../../support/databases';
import { WireClient, bindExecuteSync, parse } from '../../support/wire-protocol';

describe('the embedded PGlite server with several connections', () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  beforeAll(async () => {
    database = await freshTestDatabase('pglite');
    pools = [1, 2].map(() => new pg.Pool({ connectionString: database.url, max: 8 }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.close();
  });

  it("never lets another connection's statement in between a Parse and its Bind", async () => {
    const port = Number(new URL(database.url).port);
    const [a, b] = await Promise.all([WireClient.connect(port), WireClient.connect(port)]);
    try {
      a.send(parse("select 'from a'"));
      await new Promise((resolve) => setTimeout(resolve, 100));
      b.send(Buffer.concat([parse("select 'from b'"), bindExecuteSync()]));
      await new Promise((resolve) => setTimeout(resolve, 100));
      a.send(bindExecuteSync());
      expect(await a.readUntilReady()).toEqual({ rows: ['from a'], errors: [] });
      expect(await b.readUntilReady()).toEqual({ rows: ['from b'], errors: [] });
    } finally {
      a.close();
      b.close();
    }
  });

  it('answers concurrent parameterised queries of different shapes, each with its own result', async () => {
    const answers = await Promise.allSettled(
      Array.from({ length: 2000 }, (_, i) =>
        pools[i % 2]!.query<{ n: string }>(
          i % 3 ? 'select $1::int as n' : 'select $1::text as n, 1 as other',
          [i],
        ).then((r) => Number(r.rows[0]?.n)),
      ),
    );
    expect(answers.filter((a) => a.status === 'rejected')).toEqual([]);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value : -1))).toEqual(
      Array.from({ length: 2000 }, (_, i) => i),
    );
  });

  it('keeps concurrent transactions apart and rolls back the one whose client went away', async () => {
    await pools[0]!.query('create table shared_session (client text)');
    const transaction = async (pool: pg.Pool, name: string, end: 'commit' | 'rollback' | 'disconnect') => {
      const client = await pool.connect();
      await client.query('begin');
      await client.query('insert into shared_session values ($1)', [name]);
      const seen = await client.query<{ client: string }>(
        'select client from shared_session order by client',
      );
      if (end === 'disconnect') client.release(true);
      else {
        await client.query(end);
        client.release();
      }
      return seen.rows.map((r) => r.client);
    };
    const seen = await Promise.all([
      transaction(pools[0]!, 'a', 'commit'),
      transaction(pools[1]!, 'b', 'rollback'),
      transaction(pools[1]!, 'c', 'disconnect'),
    ]);
    // Each sees its own row and at most the committed one, never another's uncommitted row.
    expect(seen.map((rows) => rows.filter((row) => row !== 'a'))).toEqual([[], ['b'], ['c']]);
    const after = await pools[0]!.query<{ client: string }>('select client from shared_session');
    expect(after.rows.map((r) => r.client)).toEqual(['a']);
  });
});
