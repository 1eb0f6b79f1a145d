// Keeps the station's scan field focused: a USB barcode scanner types into whatever has focus (keyboard wedge).
document.addEventListener("click", (e) => {
    const scan = document.querySelector("[data-test=scan]");
    if (scan && !e.target.closest("input, select, textarea, button, a, details")) {
        scan.focus();
    }
});
