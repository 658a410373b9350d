using Npgsql;

namespace TeaFleet.Fleet.Tests;

/// <summary>The sample app's PostgreSQL on a sandbox host, as an operator's psql sees it (role tea).</summary>
public static class TeaDatabase
{
    public static NpgsqlConnection Connect(FleetHost host)
    {
        var connection = new NpgsqlConnection($"Host={host.Address};Port=5432;Username=tea;Password=tea-sandbox;Database=tea;Pooling=false;Timeout=10");
        connection.Open();
        return connection;
    }

    public static long Scalar(FleetHost host, string sql)
    {
        using var connection = Connect(host);
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string Text(FleetHost host, string sql)
    {
        using var connection = Connect(host);
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public static void Execute(FleetHost host, string sql)
    {
        using var connection = Connect(host);
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        command.ExecuteNonQuery();
    }

    public static bool TableExists(FleetHost host, string table) =>
        Scalar(host, $"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'") == 1;

    public static string AlembicHead(FleetHost host) => Text(host, "SELECT string_agg(version_num, ',') FROM alembic_version");
}
