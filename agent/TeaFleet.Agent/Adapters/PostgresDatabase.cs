using Microsoft.Extensions.Options;
using Npgsql;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The app's PostgreSQL database through Npgsql: the checks an operator runs by hand (connect,
/// version, size, row counts, the Alembic head) and the few statements a restore needs.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly DatabaseOptions _options;
    private readonly string _hostName;
    private readonly Lazy<NpgsqlDataSource> _source;
    private readonly Lazy<NpgsqlDataSource> _dropSource;

    public PostgresDatabase(IOptions<AgentOptions> options)
    {
        _options = options.Value.Database;
        _hostName = options.Value.HostName;
        _source = new Lazy<NpgsqlDataSource>(() => Build(includeErrorDetail: false));
        // Only for DROPs of leftovers: PostgreSQL's detail names what depends on an object, which a person
        // needs; elsewhere the detail may quote row data and stays redacted (Npgsql's default).
        _dropSource = new Lazy<NpgsqlDataSource>(() => Build(includeErrorDetail: true));
    }

    private NpgsqlDataSource Build(bool includeErrorDetail)
    {
        // The slim builder: no reflection-based type mapping, fit for Native AOT.
        var builder = new NpgsqlSlimDataSourceBuilder(new NpgsqlConnectionStringBuilder
        {
            Host = _options.Host,
            Port = _options.Port,
            Database = _options.Name,
            Username = _options.User,
            Password = Password(),
            Timeout = Math.Clamp(_options.CommandTimeoutSeconds, 1, 1024),
            CommandTimeout = _options.CommandTimeoutSeconds,
            Pooling = false,
            ApplicationName = "teafleet-agent",
            IncludeErrorDetail = includeErrorDetail,
        }.ConnectionString);
        // The agent reads only built-in types (text, integers, booleans, times): no load of the
        // server's whole pg_type catalogue on each connection, and no cache of it kept.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return builder.Build();
    }

    public DatabaseOptions Options => _options;

    /// <summary>What the Database service refuses with on a host that has no database configured.</summary>
    public void EnsureConfigured()
    {
        if (!_options.Configured)
        {
            throw AgentException.Precondition(
                $"host {_hostName} has no database configured (Agent:Database:Name is empty); run database commands against the host that runs PostgreSQL");
        }
    }

    /// <summary>The environment pg_dump, pg_restore and psql get: where to connect and the password, never on the command line.</summary>
    public IReadOnlyDictionary<string, string?> ToolEnvironment() => new Dictionary<string, string?>
    {
        ["PGHOST"] = _options.Host,
        ["PGPORT"] = _options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PGUSER"] = _options.User,
        ["PGDATABASE"] = _options.Name,
        ["PGPASSWORD"] = Password(),
        ["PGAPPNAME"] = "teafleet-agent",
        ["PGCONNECT_TIMEOUT"] = "10",
    };

    public string Tool(string name) => Path.Combine(_options.PgBinDir, name);

    public async Task<DatabaseStatus> CheckAsync(bool rowCounts, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await OpenAsync(cancellationToken);
        var serverVersion = connection.PostgreSqlVersion.ToString();
        var size = await ScalarAsync<long>(connection, "SELECT pg_database_size(current_database())", cancellationToken);
        var connections = (int)await ScalarAsync<long>(connection, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", cancellationToken);
        var heads = await MigrationHeadsAsync(connection, cancellationToken);
        var tables = new List<TableRows>();
        if (rowCounts)
        {
            foreach (var table in await TablesAsync(connection, cancellationToken))
            {
                var rows = await ScalarAsync<long>(connection, $"SELECT count(*) FROM public.{QuoteIdentifier(table)}", cancellationToken);
                tables.Add(new TableRows(table, rows));
            }
        }

        return new DatabaseStatus(_hostName, _options.Name, serverVersion, size, connections, heads, tables);
    }

    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await OpenAsync(cancellationToken);
        return await ScalarAsync<long>(connection, "SELECT pg_database_size(current_database())", cancellationToken);
    }

    public async Task<int> ServerMajorVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return connection.PostgreSqlVersion.Major;
    }

    public async Task<IReadOnlyList<string>> MigrationHeadsAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await OpenAsync(cancellationToken);
        return await MigrationHeadsAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Empties the database for a restore: ends every other session on it, then drops the public
    /// schema and every schema the app's role owns, with all they hold, and makes an empty public
    /// schema again. Only ever called after a verified safety backup.
    /// </summary>
    public async Task<int> EmptyForRestoreAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await OpenAsync(cancellationToken);
        var ended = await ScalarAsync<long>(connection,
            // Client sessions of the app's role: the app's own, and a pg_restore left running by an agent
            // that was killed. Autovacuum workers (superuser) cannot be ended by the role and need not be:
            // they give way to the DROP below.
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND usename = current_user",
            cancellationToken);
        var schemas = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT nspname FROM pg_namespace WHERE nspname = 'public' OR (nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AND nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema')",
            connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                schemas.Add(reader.GetString(0));
            }
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var schema in schemas)
        {
            await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {QuoteIdentifier(schema)} CASCADE", cancellationToken);
        }

        await ExecuteAsync(connection, "CREATE SCHEMA public", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (int)ended;
    }

    /// <summary>
    /// Runs one DROP statement in a transaction of its own, with a short lock timeout (the app may hold
    /// the object): null when PostgreSQL dropped it, else PostgreSQL's reason (its message and detail,
    /// e.g. "cannot drop type order_status because other objects depend on it: column s of table t
    /// depends on type order_status"), and nothing changed.
    /// </summary>
    public async Task<string?> TryDropAsync(string dropStatement, CancellationToken cancellationToken)
    {
        EnsureConfigured();
        await using var connection = await OpenAsync(_dropSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, "SET LOCAL lock_timeout = '5s'", cancellationToken);
            await ExecuteAsync(connection, dropStatement, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (PostgresException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return ex.MessageText + (string.IsNullOrWhiteSpace(ex.Detail) ? "" : ": " + ex.Detail.ReplaceLineEndings("; "));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync();
        }

        if (_dropSource.IsValueCreated)
        {
            await _dropSource.Value.DisposeAsync();
        }
    }

    private Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(_source, cancellationToken);

    private async Task<NpgsqlConnection> OpenAsync(Lazy<NpgsqlDataSource> source, CancellationToken cancellationToken)
    {
        try
        {
            return await source.Value.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw AgentException.Unavailable(
                $"cannot connect to database {_options.Name} at {_options.Host}:{_options.Port} as {_options.User}: {ex.Message}; check that the db service runs (`teafleet status`) and Agent:Database",
                ex);
        }
    }

    private static async Task<List<string>> MigrationHeadsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var heads = new List<string>();
        var exists = await ScalarAsync<bool>(connection, "SELECT to_regclass('public.alembic_version') IS NOT NULL", cancellationToken);
        if (!exists)
        {
            return heads;
        }

        await using var command = new NpgsqlCommand("SELECT version_num FROM public.alembic_version ORDER BY version_num", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            heads.Add(reader.GetString(0));
        }

        return heads;
    }

    private static async Task<List<string>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using var command = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string Password()
    {
        if (string.IsNullOrEmpty(_options.PasswordFile))
        {
            return "";
        }

        return File.ReadAllText(_options.PasswordFile).Trim('\r', '\n');
    }
}
