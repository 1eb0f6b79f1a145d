using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Capture.StationAgent.Core;

/// <summary>
/// The agent's offline journal (SQLite, <c>journal.db</c> in the data folder): every shot's state, the current shoot
/// number, the next shot index per shoot number, and the order shots were taken. Every change is one transaction with
/// synchronous=FULL, so a power cut at any moment leaves either the old or the new state, never half of one.
/// </summary>
public sealed class Journal : IDisposable
{
    private const string CurrentShootNumberKey = "current_shoot_number";
    private const string KeyframePendingKey = "keyframe_pending";
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    private Journal(SqliteConnection connection) => this.connection = connection;

    public string DataFolder { get; private init; } = "";

    public static Journal Open(string dataFolder)
    {
        Directory.CreateDirectory(dataFolder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(dataFolder, "journal.db"),
            Pooling = false,
        }.ToString());
        connection.Open();
        var journal = new Journal(connection) { DataFolder = dataFolder };
        journal.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS shoot_numbers (shoot_number TEXT PRIMARY KEY, next_shot INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS shots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                path TEXT NOT NULL,
                file_name TEXT NOT NULL,
                size INTEGER NOT NULL,
                file_ticks INTEGER NOT NULL,
                shoot_number TEXT,
                shot_index INTEGER NOT NULL,
                keyframe INTEGER NOT NULL,
                sha256 TEXT,
                content_type TEXT,
                taken_at TEXT NOT NULL,
                seen_at TEXT NOT NULL,
                state TEXT NOT NULL,
                server_photo_id TEXT,
                verdict TEXT,
                failed_measures TEXT,
                quality TEXT,
                sent_path TEXT,
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS shots_file ON shots (path, size, file_ticks);
            CREATE INDEX IF NOT EXISTS shots_state ON shots (state, id);
            CREATE INDEX IF NOT EXISTS shots_server ON shots (server_photo_id);
            """);
        return journal;
    }

    public string? CurrentShootNumber => GetSetting(CurrentShootNumberKey);

    /// <summary>Every following shot belongs to this shoot number until the next scan; with keyframe, the next shot is the capture-code frame.</summary>
    public void SetCurrentShootNumber(string shootNumber, bool keyframeNext)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            SetSetting(CurrentShootNumberKey, shootNumber, tx);
            SetSetting(KeyframePendingKey, keyframeNext ? "1" : "0", tx);
            tx.Commit();
        }
    }

    public string? GetSetting(string key)
    {
        lock (gate)
        {
            using var command = Command("SELECT value FROM settings WHERE key = $key", null, ("$key", key));
            return command.ExecuteScalar() as string;
        }
    }

    public void SetSetting(string key, string? value)
    {
        lock (gate)
        {
            SetSetting(key, value, null);
        }
    }

    /// <summary>The shot recorded for this file as it is now (same path, size and time), if any.</summary>
    public Shot? FindByFile(string path, long size, long fileTicks) =>
        QueryOne("SELECT * FROM shots WHERE path = $path AND size = $size AND file_ticks = $ticks ORDER BY id DESC LIMIT 1",
            ("$path", path), ("$size", size), ("$ticks", fileTicks));

    public Shot? Find(long id) => QueryOne("SELECT * FROM shots WHERE id = $id", ("$id", id));

    public Shot? FindByServerId(Guid photoId) => QueryOne("SELECT * FROM shots WHERE server_photo_id = $p", ("$p", photoId.ToString()));

    /// <summary>
    /// Records a finished image under the current shoot number with the next shot index (one transaction: the index is
    /// never given twice, and a crash leaves the shot either recorded or still to be found in the folder).
    /// </summary>
    public Shot RecordImage(string path, long size, long fileTicks, DateTimeOffset takenAt, string sha256, string contentType, DateTimeOffset now)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var shootNumber = GetSetting(CurrentShootNumberKey, tx);
            var index = 0;
            var keyframe = false;
            if (shootNumber is not null)
            {
                using (var next = Command("SELECT next_shot FROM shoot_numbers WHERE shoot_number = $s", tx, ("$s", shootNumber)))
                {
                    index = next.ExecuteScalar() is long n ? (int)n : 1;
                }

                using (var up = Command("INSERT INTO shoot_numbers (shoot_number, next_shot) VALUES ($s, $n) ON CONFLICT (shoot_number) DO UPDATE SET next_shot = $n", tx,
                    ("$s", shootNumber), ("$n", index + 1)))
                {
                    up.ExecuteNonQuery();
                }

                keyframe = GetSetting(KeyframePendingKey, tx) == "1";
                if (keyframe)
                {
                    SetSetting(KeyframePendingKey, "0", tx);
                }
            }

            var id = Insert(tx, path, size, fileTicks, shootNumber, index, keyframe, sha256, contentType, takenAt, now,
                shootNumber is null ? ShotState.Unassigned : ShotState.Seen,
                shootNumber is null ? "taken before any student was scanned: not sent (scan or type the shoot number before shooting)" : null);
            tx.Commit();
            return Find(id)!;
        }
    }

    public Shot RecordNotImage(string path, long size, long fileTicks, DateTimeOffset takenAt, string description, DateTimeOffset now)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            var id = Insert(tx, path, size, fileTicks, null, 0, false, null, null, takenAt, now, ShotState.NotImage, description);
            tx.Commit();
            return Find(id)!;
        }
    }

    /// <summary>Shots still to send, in the order they were taken.</summary>
    public IReadOnlyList<Shot> Unsent(int limit = 1000) =>
        Query("SELECT * FROM shots WHERE state IN ('seen', 'uploading') ORDER BY id LIMIT $limit", ("$limit", limit));

    /// <summary>Stored shots whose file has not been moved to sent/ yet (a crash between the server's answer and the move).</summary>
    public IReadOnlyList<Shot> StoredNotMoved() => Query("SELECT * FROM shots WHERE state = 'stored' AND sent_path IS NULL ORDER BY id");

    public IReadOnlyList<Shot> All() => Query("SELECT * FROM shots ORDER BY id");

    public IReadOnlyList<Shot> ForShootNumber(string shootNumber) =>
        Query("SELECT * FROM shots WHERE shoot_number = $s ORDER BY shot_index", ("$s", shootNumber));

    public void MarkUploading(long id) =>
        Update("UPDATE shots SET state = 'uploading', attempts = attempts + 1 WHERE id = $id", ("$id", id));

    public void MarkAttemptFailed(long id, string error) =>
        Update("UPDATE shots SET error = $e WHERE id = $id", ("$id", id), ("$e", error));

    public void MarkStored(long id, Guid serverPhotoId, string? verdict) =>
        Update("UPDATE shots SET state = 'stored', server_photo_id = $p, verdict = COALESCE(verdict, $v), error = NULL WHERE id = $id",
            ("$id", id), ("$p", serverPhotoId.ToString()), ("$v", verdict));

    public void MarkSent(long id, string sentPath) => Update("UPDATE shots SET sent_path = $s WHERE id = $id", ("$id", id), ("$s", sentPath));

    public void MarkRefused(long id, string error) =>
        Update("UPDATE shots SET state = 'refused', error = $e WHERE id = $id", ("$id", id), ("$e", error));

    public void MarkLost(long id, string error) =>
        Update("UPDATE shots SET state = 'lost', error = $e WHERE id = $id", ("$id", id), ("$e", error));

    /// <summary>Records the server's latest verdict for one of this agent's photos; false when the photo is not in this journal.</summary>
    public bool RecordVerdict(Guid serverPhotoId, string verdict, string? failedMeasures, string? quality) =>
        Update("UPDATE shots SET verdict = $v, failed_measures = $f, quality = $q WHERE server_photo_id = $p",
            ("$p", serverPhotoId.ToString()), ("$v", verdict), ("$f", failedMeasures), ("$q", quality)) > 0;

    /// <summary>Queue length and the oldest unsent shot's time, for the status line.</summary>
    public (int Count, DateTimeOffset? Oldest) Queue()
    {
        lock (gate)
        {
            using var command = Command("SELECT COUNT(*), MIN(taken_at) FROM shots WHERE state IN ('seen', 'uploading')", null);
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt32(0), reader.IsDBNull(1) ? null : DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture));
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            connection.Dispose();
        }
    }

    private long Insert(SqliteTransaction tx, string path, long size, long fileTicks, string? shootNumber, int index, bool keyframe,
        string? sha256, string? contentType, DateTimeOffset takenAt, DateTimeOffset now, ShotState state, string? error)
    {
        using var insert = Command("""
            INSERT INTO shots (path, file_name, size, file_ticks, shoot_number, shot_index, keyframe, sha256, content_type, taken_at, seen_at, state, error)
            VALUES ($path, $name, $size, $ticks, $shoot, $index, $keyframe, $sha, $type, $taken, $seen, $state, $error);
            SELECT last_insert_rowid();
            """, tx,
            ("$path", path), ("$name", System.IO.Path.GetFileName(path)), ("$size", size), ("$ticks", fileTicks), ("$shoot", shootNumber),
            ("$index", index), ("$keyframe", keyframe ? 1 : 0), ("$sha", sha256), ("$type", contentType),
            ("$taken", takenAt.ToString("O", CultureInfo.InvariantCulture)), ("$seen", now.ToString("O", CultureInfo.InvariantCulture)),
            ("$state", StateText(state)), ("$error", error));
        return (long)insert.ExecuteScalar()!;
    }

    private string? GetSetting(string key, SqliteTransaction? tx)
    {
        using var command = Command("SELECT value FROM settings WHERE key = $key", tx, ("$key", key));
        return command.ExecuteScalar() as string;
    }

    private void SetSetting(string key, string? value, SqliteTransaction? tx)
    {
        using var command = Command("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = $value", tx,
            ("$key", key), ("$value", value));
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        lock (gate)
        {
            using var command = Command(sql, null);
            command.ExecuteNonQuery();
        }
    }

    private int Update(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (gate)
        {
            using var command = Command(sql, null, parameters);
            return command.ExecuteNonQuery();
        }
    }

    private Shot? QueryOne(string sql, params (string Name, object? Value)[] parameters) => Query(sql, parameters).FirstOrDefault();

    private List<Shot> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (gate)
        {
            using var command = Command(sql, null, parameters);
            using var reader = command.ExecuteReader();
            var shots = new List<Shot>();
            while (reader.Read())
            {
                string? Text(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));
                shots.Add(new Shot(
                    reader.GetInt64(reader.GetOrdinal("id")),
                    Text("path")!,
                    Text("file_name")!,
                    reader.GetInt64(reader.GetOrdinal("size")),
                    reader.GetInt64(reader.GetOrdinal("file_ticks")),
                    Text("shoot_number"),
                    reader.GetInt32(reader.GetOrdinal("shot_index")),
                    reader.GetInt32(reader.GetOrdinal("keyframe")) == 1,
                    Text("sha256"),
                    Text("content_type"),
                    DateTimeOffset.Parse(Text("taken_at")!, CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(Text("seen_at")!, CultureInfo.InvariantCulture),
                    ParseState(Text("state")!),
                    Text("server_photo_id") is { } p ? Guid.Parse(p) : null,
                    Text("verdict"),
                    Text("failed_measures"),
                    Text("sent_path"),
                    Text("error"),
                    reader.GetInt32(reader.GetOrdinal("attempts"))));
            }

            return shots;
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    internal static string StateText(ShotState state) => state switch
    {
        ShotState.NotImage => "not-image",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static ShotState ParseState(string text) => text == "not-image" ? ShotState.NotImage : Enum.Parse<ShotState>(text, ignoreCase: true);
}
