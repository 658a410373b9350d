using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace TeaFleet.Fleet.Tests;

/// <summary>App B (Kiosk) on a sandbox b host, as its users and an operator's psql see it.</summary>
public static class KioskApp
{
    public const int ApiPort = 8081;
    public const int AdminPort = 8082;

    public static NpgsqlConnection Connect(FleetHost host)
    {
        var connection = new NpgsqlConnection($"Host={host.Address};Port=5433;Username=kiosk;Password=kiosk-sandbox;Database=kiosk;Pooling=false;Timeout=10");
        connection.Open();
        return connection;
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
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 120 };
        command.ExecuteNonQuery();
    }

    public static string AlembicHead(FleetHost host) =>
        Text(host, "SELECT CASE WHEN to_regclass('public.alembic_version') IS NULL THEN '' ELSE (SELECT coalesce(string_agg(version_num, ','), '') FROM alembic_version) END");

    public static bool TypeExists(FleetHost host, string name) =>
        Text(host, $"SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typname = '{name}'") == "1";

    /// <summary>The commit a Kiosk web service reports (GET /version), or null when it does not answer.</summary>
    public static async Task<string?> CommitAsync(HttpClient http, FleetHost host, int port)
    {
        try
        {
            using var response = await http.GetAsync($"http://{host.Address}:{port}/version", TestContext.Current.CancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var json = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return json.GetProperty("commit").GetString();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Test set-up, not under test: empties Kiosk's database (as a fresh install has it) so that a test
    /// can start from a known release; the app's own start-up then migrates it.
    /// </summary>
    public static void EmptyDatabase(FleetHost host) =>
        Execute(host, "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
}
