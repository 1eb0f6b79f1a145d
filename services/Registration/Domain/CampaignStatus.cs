namespace Capture.Registration.Domain;

/// <summary>A campaign is prepared as a draft, opened for registration, and closed when capture is over.</summary>
public static class CampaignStatus
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Closed = "closed";
}
