using System.Net.Sockets;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Adapters;

/// <summary>
/// The app's Redis as the queue capability sees it: Agent:Queue's address, database and password
/// (read from its file at every connect, never logged, masked out of every message), and sessions
/// that are connected, authenticated, in the configured database and answered PING.
/// </summary>
public sealed class RedisQueue(IOptions<AgentOptions> options, IRedisClient client)
{
    private readonly QueueOptions _options = options.Value.Queue;
    private readonly string _hostName = options.Value.HostName;

    public QueueOptions Options => _options;

    public string Address => $"{_options.Host}:{_options.Port}";

    /// <summary>What the Queue service refuses a flush with on a host that has no queue configured.</summary>
    public string NotConfiguredMessage =>
        $"host {_hostName} has no queue configured (Agent:Queue:Queues is empty); set Agent:Queue (Host, Port, Database, PasswordFile, Queues: [{{\"Name\": \"jobs\", \"Key\": \"tea:jobs\"}}]) in the agent's configuration of the host that reaches the app's Redis, or run queue commands against that host";

    public void EnsureConfigured()
    {
        if (!_options.Configured)
        {
            throw AgentException.Precondition(NotConfiguredMessage);
        }
    }

    /// <summary>Connects, AUTHs (when a password file is set), SELECTs the database and PINGs. Throws Unavailable or Precondition with what to check.</summary>
    public async Task<RedisQueueSession> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        var password = Password();
        var where = $"Redis at {Address} (database {_options.Database})";
        IRedisConnection connection;
        try
        {
            connection = await client.ConnectAsync(new RedisEndpoint(_options.Host, _options.Port, TimeSpan.FromSeconds(_options.TimeoutSeconds)), cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            throw AgentException.Unavailable(
                Mask($"cannot connect to {where}: {ex.Message}; check that the redis service runs (`teafleet status`) and Agent:Queue:Host and Agent:Queue:Port", password), ex);
        }

        var session = new RedisQueueSession(connection, where, password);
        try
        {
            if (password.Length > 0)
            {
                var auth = await session.SendAsync(["AUTH", password], cancellationToken);
                if (auth.IsError)
                {
                    throw AgentException.Precondition(Mask(
                        $"{where} refused the password of Agent:Queue:PasswordFile ({_options.PasswordFile}): {auth.Text}; write the app's Redis password (its requirepass) into that file", password));
                }
            }

            if (_options.Database != 0)
            {
                var select = await session.SendAsync(["SELECT", _options.Database.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken);
                if (select.IsError)
                {
                    throw AgentException.Precondition(Mask(SelectFailure(where, select.Text), password));
                }
            }

            var ping = await session.SendAsync(["PING"], cancellationToken);
            if (ping.IsError)
            {
                throw ping.Text?.StartsWith("NOAUTH", StringComparison.Ordinal) == true
                    ? AgentException.Precondition(Mask($"{where} wants a password: {ping.Text}; set Agent:Queue:PasswordFile to a file holding the app's Redis password (its requirepass)", password))
                    : AgentException.Unavailable(Mask($"{where} answered PING with {ping.Text}; check the redis service's log (`teafleet logs`)", password));
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>The text with the password replaced: for every message that may quote a reply or an exception.</summary>
    public static string Mask(string text, string password) =>
        password.Length == 0 ? text : text.Replace(password, "********", StringComparison.Ordinal);

    private string SelectFailure(string where, string? reply) =>
        $"{where}: SELECT {_options.Database} failed: {reply}; Agent:Queue:Database must be a database the server has (its `databases` setting)";

    private string Password()
    {
        if (string.IsNullOrEmpty(_options.PasswordFile))
        {
            return "";
        }

        try
        {
            return File.ReadAllText(_options.PasswordFile).Trim('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AgentException.Precondition(
                $"cannot read Agent:Queue:PasswordFile '{_options.PasswordFile}': {ex.Message}; it must be readable by the agent's user (mode 0600, owned by it)");
        }
    }
}
