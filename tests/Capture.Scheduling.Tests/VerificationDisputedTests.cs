using Capture.Contracts.Verification;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Scheduling.Tests;

/// <summary>A student who disputes their photo at verification may book a makeup capture (a retake); a data dispute changes nothing here.</summary>
public sealed class VerificationDisputedTests(SchedulingApp app) : IClassFixture<SchedulingApp>
{
    private async Task<MakeupEligibility?> EligibilityAsync(Guid registrationId)
    {
        await using var scope = app.Service.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SchedulingDbContext>().MakeupEligibilities.AsNoTracking().FirstOrDefaultAsync(e => e.RegistrationId == registrationId);
    }

    [Fact]
    public async Task A_photo_dispute_grants_a_recapture_and_a_data_dispute_does_not()
    {
        var campaign = Guid.NewGuid();
        var photo = Guid.NewGuid();
        var data = Guid.NewGuid();
        await app.Bus.Publish(new VerificationDisputed(data, data, campaign, "10385", "law", Guid.NewGuid(), VerificationDisputeKinds.Data, ["name"], 1, DateTimeOffset.UtcNow));
        await app.Bus.Publish(new VerificationDisputed(photo, photo, campaign, "10385", "law", Guid.NewGuid(), VerificationDisputeKinds.Photo, [], 1, DateTimeOffset.UtcNow));

        var granted = await Eventually.GetAsync(() => EligibilityAsync(photo), e => e is not null, what: "the recapture eligibility");
        Assert.Equal(MakeupEligibility.Recapture, granted!.Reason);
        Assert.Equal(campaign, granted.CampaignId);
        Assert.Null(await EligibilityAsync(data));
    }
}
