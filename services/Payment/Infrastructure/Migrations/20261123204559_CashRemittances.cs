using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class CashRemittances : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "remittance_id",
                schema: "payment",
                table: "orders",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "remittances",
                schema: "payment",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    college_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    received_fen = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_remittances", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_orders_remittance_id",
                schema: "payment",
                table: "orders",
                column: "remittance_id");

            migrationBuilder.CreateIndex(
                name: "ix_remittances_campaign_id_school_code_college_code",
                schema: "payment",
                table: "remittances",
                columns: new[] { "campaign_id", "school_code", "college_code" },
                unique: true,
                filter: "status = 'Open'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "remittances",
                schema: "payment");

            migrationBuilder.DropIndex(
                name: "ix_orders_remittance_id",
                schema: "payment",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "remittance_id",
                schema: "payment",
                table: "orders");
        }
    }
}
