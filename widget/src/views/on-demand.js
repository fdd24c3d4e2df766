// A panel's engine call on demand (a button press): the button is disabled while the call
// runs, and a refusal is shown in the panel's status line instead of the result.

export async function runOnDemand(button, status, request, show) {
  button.disabled = true;
  try {
    show(await request());
  } catch (e) {
    status.textContent = e.message;
    status.dataset.status = "bad";
  } finally {
    button.disabled = false;
  }
}
