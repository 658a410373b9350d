using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.Tests;

/// <summary>
/// deploy/agent/agent.example.json and the settings tables in docs/agent-configuration.md against the code: the
/// example binds through the agent's own registration (AddAgent: BindConfiguration and
/// AgentOptionsValidator) and passes, it sets every setting AgentOptions has and none it lacks, and
/// the table names every setting; the worked agent.json in docs/app-host.md (sample app B) passes too.
/// A setting added to the options classes fails here until the example and the table have it.
/// </summary>
public sealed partial class ExampleConfigurationTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string ExamplePath = Path.Combine(Root, "deploy", "agent", "agent.example.json");

    [Fact]
    public void The_example_configuration_binds_and_passes_the_agents_validation()
    {
        var options = Validate(File.ReadAllText(ExamplePath), "deploy/agent/agent.example.json");

        Assert.Equal("prod-1", options.HostName);
        Assert.True(options.Database.Configured);
        Assert.True(options.Migrations.Configured);
        Assert.True(options.Queue.Configured);
        Assert.NotEmpty(options.App.ReleaseServices);
        Assert.NotEqual(options.App.Services.Count, options.App.ReleaseServices.Count);
    }

    [Fact]
    public void The_worked_example_in_docs_app_host_md_passes_the_agents_validation()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "app-host.md"));
        var start = doc.IndexOf("```json\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/app-host.md has no ```json block");
        start += "```json\n".Length;
        var json = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var options = Validate(json, "the agent.json in docs/app-host.md");

        Assert.Equal("b-staging-1", options.HostName);
        Assert.Equal(["postgres", "redis"], options.App.Services.Except(options.App.ReleaseServices));
        Assert.Contains(options.Migrations.Service, options.App.Services);
    }

    /// <summary>
    /// Binds the JSON through the agent's own registration (AddAgent) and returns the validated options;
    /// the files the validator requires to exist (the TLS files, the password file) are replaced by
    /// temporary ones, since the JSON's paths are a real host's.
    /// </summary>
    private static AgentOptions Validate(string json, string what)
    {
        var dir = Directory.CreateTempSubdirectory("teafleet-example-").FullName;
        try
        {
            var files = new Dictionary<string, string?>
            {
                ["Agent:Tls:CaCertificate"] = Path.Combine(dir, "ca.crt"),
                ["Agent:Tls:Certificate"] = Path.Combine(dir, "agent.crt"),
                ["Agent:Tls:PrivateKey"] = Path.Combine(dir, "agent.key"),
                ["Agent:Database:PasswordFile"] = Path.Combine(dir, "db.password"),
            };
            var given = Build(json);
            // Optional: a host without Agent:Queue, or a Redis without a password, sets none.
            if (!string.IsNullOrEmpty(given["Agent:Queue:PasswordFile"]))
            {
                files["Agent:Queue:PasswordFile"] = Path.Combine(dir, "redis.password");
            }

            foreach (var (key, path) in files)
            {
                Assert.False(string.IsNullOrEmpty(given[key]), $"{what} sets no {key}");
                File.WriteAllText(path!, "x\n");
            }

            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
            var configuration = new ConfigurationBuilder().AddJsonStream(stream).AddInMemoryCollection(files).Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging();
            services.AddAgent();
            using var provider = services.BuildServiceProvider();
            try
            {
                return provider.GetRequiredService<IOptions<AgentOptions>>().Value;
            }
            catch (OptionsValidationException ex)
            {
                Assert.Fail($"{what} does not pass the agent's validation:\n  " + string.Join("\n  ", ex.Failures));
                throw;
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IConfigurationRoot Build(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return new ConfigurationBuilder().AddJsonStream(stream).Build();
    }

    [Fact]
    public void The_example_configuration_sets_every_setting_and_only_known_ones()
    {
        var settings = Settings();
        var example = new ConfigurationBuilder().AddJsonFile(ExamplePath, optional: false, reloadOnChange: false).Build();
        var exampleKeys = example.AsEnumerable()
            .Where(kv => kv.Value is not null)
            .Select(kv => ListItem().Replace(kv.Key, ""))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var unset = settings.Where(s => !exampleKeys.Contains(s)).ToList();
        var unknown = exampleKeys.Where(k => !settings.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(unset.Count == 0, "deploy/agent/agent.example.json does not set " + string.Join(", ", unset));
        // The configuration binder ignores a key it does not know: a misspelt setting would be silently left at its default.
        Assert.True(unknown.Count == 0, "deploy/agent/agent.example.json sets keys the agent does not have: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_settings_tables_in_docs_agent_configuration_md_name_every_setting()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "agent-configuration.md"));

        var missing = Settings().Where(s => !doc.Contains($"`{s}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/agent-configuration.md's settings tables lack " + string.Join(", ", missing));
    }

    /// <summary>Every setting of AgentOptions as a configuration key (Agent:Section:Key), lists as one key.</summary>
    private static List<string> Settings()
    {
        var keys = new List<string>();
        Walk(typeof(AgentOptions), AgentOptions.Section, keys);
        return keys;
    }

    private static void Walk(Type type, string prefix, List<string> keys)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t == typeof(string) || t.IsPrimitive || typeof(IEnumerable).IsAssignableFrom(t))
            {
                keys.Add(key);
            }
            else
            {
                Walk(t, key, keys);
            }
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TeaFleet.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TeaFleet.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A list item's index and what follows it (Queues:0:Name is the list setting Queues).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@":\d+(:.*)?$")]
    private static partial System.Text.RegularExpressions.Regex ListItem();
}
