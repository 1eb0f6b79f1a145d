using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Registration.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class VenuesAndPriorCapturesPerSchool : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_prior_captures_id_number_degree_level",
                schema: "registration",
                table: "prior_captures");

            migrationBuilder.CreateTable(
                name: "venues",
                schema: "registration",
                columns: table => new
                {
                    venue_id = table.Column<Guid>(type: "uuid", nullable: false),
                    school_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    learned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_venues", x => x.venue_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_prior_captures_school_code_id_number_degree_level",
                schema: "registration",
                table: "prior_captures",
                columns: new[] { "school_code", "id_number", "degree_level" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "venues",
                schema: "registration");

            migrationBuilder.DropIndex(
                name: "ix_prior_captures_school_code_id_number_degree_level",
                schema: "registration",
                table: "prior_captures");

            migrationBuilder.CreateIndex(
                name: "ix_prior_captures_id_number_degree_level",
                schema: "registration",
                table: "prior_captures",
                columns: new[] { "id_number", "degree_level" },
                unique: true);
        }
    }
}
