// Saving part of the chapter from one of the organizers' forms (settings, agenda, rotation):
// UpdateChapter with `mask`, a refusal shown on the form (its field marked), the answer kept as
// the chapter and the form's "saved" line shown. These are direct calls, not the outbox: the
// organizer is looking at the form and needs the server's answer.

import { call, newRequestId } from '/shared/api.js';
import { byId, setText } from '/shared/dom.js';
import { t } from '/shared/i18n.js';
import { FORMS, clearFormErrors, showFormError } from '/app/forms.js';
import { M, state } from '/app/state.js';

// Whether it was saved; `form` is the form's key in FORMS ("agenda").
export async function saveChapter(form, chapter, mask, savedKey) {
  clearFormErrors(form);
  byId(FORMS[form].ok).hidden = true;
  const result = await call(M.updateChapter, {
    chapter: { name: state.chapterName, ...chapter }, updateMask: mask, requestId: newRequestId(),
  }, { token: state.token });
  if (!result.ok) {
    showFormError(form, result);
    return false;
  }
  state.chapter = result.body;
  setText(byId(FORMS[form].ok), t(savedKey));
  byId(FORMS[form].ok).hidden = false;
  return true;
}
