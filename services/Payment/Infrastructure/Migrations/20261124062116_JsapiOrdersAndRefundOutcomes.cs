using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class JsapiOrdersAndRefundOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "completed_via",
                schema: "payment",
                table: "refunds",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_checked_at",
                schema: "payment",
                table: "refunds",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_status",
                schema: "payment",
                table: "refunds",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                schema: "payment",
                table: "orders",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payer_open_id",
                schema: "payment",
                table: "orders",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "prepay_id",
                schema: "payment",
                table: "orders",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "completed_via",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "last_checked_at",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "provider_status",
                schema: "payment",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "channel",
                schema: "payment",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "payer_open_id",
                schema: "payment",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "prepay_id",
                schema: "payment",
                table: "orders");
        }
    }
}
