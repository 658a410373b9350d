using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeaFleet.Agent.Model;
using TeaFleet.Agent.Options;

namespace TeaFleet.Agent.State;

/// <summary>
/// The backups of this host's database: BackupDir/catalogue.jsonl, one line per change ("B" a
/// backup's full record, the last one of an id wins; "D" a deletion). A backup is catalogued only
/// after its file is complete, fsynced and renamed into place, so a crash mid-backup leaves no entry
/// (its partial file is removed at the next start). The runbook's old plain dumps
/// (tea_backup_YYYYMMDD_HHMMSS.sql.gz, anywhere under BackupDir) are listed as LEGACY backups.
/// "B" lines are written in format version 2 (VersionedJson); version 1 lines (protobuf JSON) still read.
/// </summary>
public sealed partial class BackupCatalogue : IDisposable
{
    public const string PartialPrefix = ".partial-";

    private readonly string _dir;
    private readonly ILogger<BackupCatalogue> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Backup> _backups = new(StringComparer.Ordinal);
    private JsonLinesFile? _file;

    public BackupCatalogue(IOptions<AgentOptions> options, ILogger<BackupCatalogue> logger)
    {
        _dir = options.Value.BackupDir;
        _logger = logger;
        if (!options.Value.Database.Configured)
        {
            return;
        }

        Directory.CreateDirectory(_dir);
        foreach (var line in JsonLinesFile.ReadLines(CataloguePath))
        {
            if (line.StartsWith("B\t", StringComparison.Ordinal))
            {
                if (VersionedJson.Read(line[2..], StateJsonContext.Default.Backup, LegacyFormat.Backup, _logger, CataloguePath) is { } backup)
                {
                    _backups[backup.Id] = backup;
                }
            }
            else if (line.StartsWith("D\t", StringComparison.Ordinal))
            {
                _backups.Remove(line[2..]);
            }
        }

        // What a crash mid-backup left: never catalogued, never restorable.
        foreach (var partial in Directory.EnumerateFiles(_dir, PartialPrefix + "*"))
        {
            _logger.LogWarning("Removing {Path}, left by a backup that did not finish", partial);
            File.Delete(partial);
        }
    }

    public string BackupDir => _dir;

    public string CataloguePath => Path.Combine(_dir, "catalogue.jsonl");

    /// <summary>Every backup, TeaFleet's and the runbook's old ones, newest first.</summary>
    public IReadOnlyList<Backup> List()
    {
        lock (_gate)
        {
            var all = _backups.Values.ToDictionary(b => b.Id, StringComparer.Ordinal);
            foreach (var legacy in ScanLegacy())
            {
                if (all.TryGetValue(legacy.Id, out var known))
                {
                    // Verified before: keep what was learned, refresh the size.
                    all[legacy.Id] = known with { SizeBytes = legacy.SizeBytes };
                }
                else
                {
                    all[legacy.Id] = legacy;
                }
            }

            // A catalogued legacy backup whose file is gone is gone.
            return all.Values
                .Where(b => b.Kind != BackupKind.Legacy || File.Exists(PathOf(b)))
                .OrderByDescending(b => b.TakenAt)
                .ThenByDescending(b => b.Id, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The backup with this id; a path or an unknown id gets an error that says what to give instead.</summary>
    public Backup Get(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw AgentException.Invalid("no backup id given; list the backups with `teafleet backups ENV` and give an id from it");
        }

        if (!IdPattern().IsMatch(id))
        {
            throw AgentException.Invalid(
                $"'{id}' is not a backup id{(id.Contains('/', StringComparison.Ordinal) || id.Contains('.', StringComparison.Ordinal) ? " (paths are never accepted)" : "")}; list the backups with `teafleet backups ENV` and give an id from it, e.g. 20261120-140000-quick");
        }

        return List().FirstOrDefault(b => b.Id == id)
            ?? throw AgentException.NotFound($"no backup {id} in {_dir}; list the backups with `teafleet backups ENV`");
    }

    /// <summary>The file of a backup: TeaFleet's in BackupDir by name, legacy ones where they were found.</summary>
    public string PathOf(Backup backup)
    {
        var path = Path.GetFullPath(Path.Combine(_dir, backup.FileName));
        if (!path.StartsWith(Path.GetFullPath(_dir) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw AgentException.Invalid($"backup {backup.Id} names a file outside {_dir}; the catalogue was edited by hand");
        }

        return path;
    }

    /// <summary>A new backup's id: time and kind, unique in the catalogue.</summary>
    public string NewId(DateTimeOffset at, BackupKind kind)
    {
        var stem = $"{at.UtcDateTime:yyyyMMdd-HHmmss}-{kind.Name()}";
        lock (_gate)
        {
            var id = stem;
            for (var n = 2; _backups.ContainsKey(id) || File.Exists(Path.Combine(_dir, id + ".dump")); n++)
            {
                id = $"{stem}-{n}";
            }

            return id;
        }
    }

    /// <summary>Records a backup (new, or changed by a verification). Durable before it returns.</summary>
    public void Put(Backup backup)
    {
        lock (_gate)
        {
            _file ??= new JsonLinesFile(CataloguePath);
            _file.Append("B\t" + VersionedJson.Format(backup, StateJsonContext.Default.Backup), durable: true);
            _backups[backup.Id] = backup;
        }
    }

    /// <summary>Deletes a backup: first from the catalogue (durable), then its file.</summary>
    public void Delete(Backup backup)
    {
        var path = PathOf(backup);
        lock (_gate)
        {
            _file ??= new JsonLinesFile(CataloguePath);
            _file.Append("D\t" + backup.Id, durable: true);
            _backups.Remove(backup.Id);
        }

        File.Delete(path);
    }

    public void Dispose() => _file?.Dispose();

    private IEnumerable<Backup> ScanLegacy()
    {
        if (!Directory.Exists(_dir))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(_dir, "tea_backup_*.sql.gz", SearchOption.AllDirectories))
        {
            var match = LegacyName().Match(Path.GetFileName(path));
            if (!match.Success ||
                !DateTime.TryParseExact(match.Groups[1].Value + match.Groups[2].Value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var taken))
            {
                continue;
            }

            yield return new Backup
            {
                Id = $"legacy-{match.Groups[1].Value}-{match.Groups[2].Value}",
                TakenAt = new DateTimeOffset(taken),
                Kind = BackupKind.Legacy,
                Format = BackupFormat.PlainGzip,
                SizeBytes = new FileInfo(path).Length,
                VerifyState = VerifyState.Unverified,
                FileName = Path.GetRelativePath(_dir, path),
                Reason = "a plain SQL dump made by the runbook's backup_db.sh",
            };
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,80}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^tea_backup_(\d{8})_(\d{6})\.sql\.gz$")]
    private static partial Regex LegacyName();
}
