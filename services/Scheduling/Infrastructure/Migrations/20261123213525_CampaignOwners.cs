using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Scheduling.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CampaignOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "campaigns",
                schema: "scheduling",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    cohort = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.campaign_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaigns",
                schema: "scheduling");
        }
    }
}
