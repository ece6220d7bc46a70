// What the phone page's tests do on it: fill the referral form, read the outbox's count.

export async function fillReferral(page, { to, marker, temperature = '4' }) {
  await page.selectOption('#refer-to', to);
  await page.check('input[name="kind"][value="REFERRAL_KIND_OUTSIDE"]', { force: true });
  await page.fill('#refer-contact-name', 'Giorgio Marino');
  await page.fill('#refer-contact-phone', '+39 333 5550177');
  await page.check(`input[name="temperature"][value="${temperature}"]`, { force: true });
  await page.fill('#refer-note', marker);
}

// How many submissions wait in the page's outbox.
export async function pendingCount(page) {
  return Number(await page.locator('#pending-count').textContent());
}
