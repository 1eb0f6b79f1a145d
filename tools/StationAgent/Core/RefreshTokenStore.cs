using System.Security.Cryptography;
using System.Text;

namespace Capture.StationAgent.Core;

/// <summary>Where the device flow's refresh token outlives the agent (a restart does not ask the operator again).</summary>
public interface IRefreshTokenStore
{
    /// <summary>For the screen: where and how it is kept.</summary>
    string Description { get; }

    string? Load();

    void Save(string refreshToken);

    void Delete();
}

/// <summary>
/// The refresh token in a file only the user can read: on Windows encrypted with DPAPI for the current user
/// (System.Security.Cryptography.ProtectedData), elsewhere a file of mode 0600 in a folder of mode 0700. Written to a
/// temporary file and moved over the old one, so a crash never leaves half a token.
/// </summary>
public sealed class ProtectedFileStore(string path) : IRefreshTokenStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly byte[] Entropy = "Capture station agent refresh token"u8.ToArray();

    public string Path => path;

    public string Description => OperatingSystem.IsWindows() ? $"{path} (DPAPI, current user)" : $"{path} (mode 0600)";

    /// <summary>Per user, per authority and client: <c>%LOCALAPPDATA%\CaptureStationAgent\sign-in\…</c> or <c>~/.local/share/CaptureStationAgent/sign-in/…</c>.</summary>
    public static string DefaultPath(Uri authority, string clientId)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{authority.AbsoluteUri.TrimEnd('/')}|{clientId}")))[..16];
        return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "CaptureStationAgent", "sign-in", name + ".token");
    }

    public string? Load()
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        if (OperatingSystem.IsWindows())
        {
            try
            {
                bytes = ProtectedData.Unprotect(bytes, Entropy, DataProtectionScope.CurrentUser);
            }
            catch (CryptographicException)
            {
                return null; // another user's or another machine's: as good as none
            }
        }
        else
        {
            File.SetUnixFileMode(path, OwnerOnly); // in case someone widened it
        }

        var token = Encoding.UTF8.GetString(bytes).Trim();
        return token.Length == 0 ? null : token;
    }

    public void Save(string refreshToken)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var bytes = Encoding.UTF8.GetBytes(refreshToken);
        if (OperatingSystem.IsWindows())
        {
            bytes = ProtectedData.Protect(bytes, Entropy, DataProtectionScope.CurrentUser);
        }

        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(temporary); // UnixCreateMode applies only to a file this call creates
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(bytes);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public void Delete() => File.Delete(path);
}
