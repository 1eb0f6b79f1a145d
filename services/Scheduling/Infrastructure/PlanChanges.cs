using Capture.Contracts.Scheduling;
using Capture.Scheduling.Domain;

namespace Capture.Scheduling.Infrastructure;

/// <summary>Records a change to a plan; a change to a published plan is a new version, announced so the university can notify students.</summary>
public static class PlanChanges
{
    public static void Touch(SchedulingDbContext db, SessionPlan plan, DateTimeOffset now)
    {
        plan.ChangedAt = now;
        if (plan.IsPublished)
        {
            Publish(db, plan, now, instructions: null);
        }
    }

    public static void Publish(SchedulingDbContext db, SessionPlan plan, DateTimeOffset now, string? instructions)
    {
        if (!string.IsNullOrWhiteSpace(instructions))
        {
            plan.Instructions = instructions.Trim();
        }

        plan.PublishedVersion++;
        plan.PublishedAt = now;
        plan.ChangedAt = now;
        db.AddIntegrationEvent(new SessionPlanPublished(plan.CampaignId, plan.SchoolCode, plan.PublishedVersion, now));
    }
}
