namespace Capture.Payment.Domain;

/// <summary>How old a provider notify may be: WeChat Pay's own guidance is to refuse a timestamp more than 5 minutes off.</summary>
public static class NotifyReplayWindow
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    public static bool IsFresh(long unixSeconds, DateTimeOffset now) =>
        Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) <= MaxSkew.TotalSeconds;
}
