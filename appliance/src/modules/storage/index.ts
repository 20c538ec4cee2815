// Storage's one door: the SQLite handle, migrations and transactions.
export { openDatabase, migrate, transaction, databaseBytes, type Db } from './database.ts';
