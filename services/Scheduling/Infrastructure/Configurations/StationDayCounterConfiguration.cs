using Capture.Scheduling.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Capture.Scheduling.Infrastructure.Configurations;

public sealed class StationDayCounterConfiguration : IEntityTypeConfiguration<StationDayCounter>
{
    public void Configure(EntityTypeBuilder<StationDayCounter> builder)
    {
        builder.HasKey(c => new { c.StationId, c.Day });
    }
}
