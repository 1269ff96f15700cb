import pg from "pg";

/**
 * Transactions Postgres has committed in one database (pg_stat_database.xact_commit). Every statement
 * outside an explicit transaction counts as one. The counters are published when a session goes idle
 * (at most once a second), so read them a moment after the work is done.
 */
export async function committedTransactions(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ commits: string }>(
      "SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(result.rows[0]?.commits ?? 0);
  } finally {
    await client.end();
  }
}
