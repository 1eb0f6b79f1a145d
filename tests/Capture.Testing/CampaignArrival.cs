using System.Net;

namespace Capture.Testing;

/// <summary>
/// Scheduling plans a campaign only once Registration's CampaignCreated has reached it (a fraction of a second, longer
/// on a busy machine): a capture day posted right after the campaign was created is answered 409 campaign-unknown until
/// then. Tests that create a campaign and at once plan it send the request again until the campaign has arrived.
/// </summary>
public static class CampaignArrival
{
    public static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.Conflict || DateTime.UtcNow > deadline
                || !(await response.Content.ReadAsStringAsync()).Contains("campaign-unknown", StringComparison.Ordinal))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(200);
        }
    }
}
