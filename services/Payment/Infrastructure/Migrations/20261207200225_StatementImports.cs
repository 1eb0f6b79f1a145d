using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Capture.Payment.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class StatementImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "statement_imports",
                schema: "payment",
                columns: table => new
                {
                    bill_date = table.Column<DateOnly>(type: "date", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    imported_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    lines = table.Column<int>(type: "integer", nullable: false),
                    mismatches = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_statement_imports", x => x.bill_date);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "statement_imports",
                schema: "payment");
        }
    }
}
