using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Verification.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ExportAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                schema: "verification",
                table: "export_batches",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attempts",
                schema: "verification",
                table: "export_batches");
        }
    }
}
