// A real-sized chapter for the room display (issue 10, item 4): 24 members with two-word Italian
// and Spanish names ("Anna Maria De Santis"), 12 visitors and about 60 events (referrals,
// thank-yous, one-to-ones, check-ins) at an open, running meeting. Set up with the CLI (the
// chapter) and the JSON API the pages use (everything else: fast, one HTTP request each).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

export const MEMBERS = [
  ['Anna Maria De Santis', 'Studio Legale De Santis & Associati', 'avvocata'],
  ['Giovanni Battista Colombo', 'Colombo Impianti Termoidraulici', 'idraulico'],
  ['María José Fernández López', 'Fernández López Arquitectura', 'arquitecta'],
  ['Francesco Saverio Bianchi', 'Bianchi Assicurazioni Generali', 'assicuratore'],
  ['Juan Carlos Martínez Ruiz', 'Martínez Ruiz Asesores Fiscales', 'asesor fiscal'],
  ['Maria Grazia Esposito', 'Esposito Eventi e Matrimoni', 'wedding planner'],
  ['Pier Paolo Ricci', 'Ricci Fotografia Professionale', 'fotografo'],
  ['Ana Belén Gutiérrez Sanz', 'Clínica Dental Gutiérrez', 'dentista'],
  ['Gian Luca Ferrari', 'Ferrari Consulenza Informatica', 'consulente IT'],
  ['Rosa Maria Romano', 'Romano Immobiliare', 'agente immobiliare'],
  ['José Antonio García Pérez', 'García Pérez Reformas Integrales', 'reformas'],
  ['Carlo Alberto Gallo', 'Gallo Commercialisti Associati', 'commercialista'],
  ['Maria Teresa Conti', 'Conti Traduzioni Tecniche', 'traduttrice'],
  ['Luis Miguel Sánchez Díaz', 'Sánchez Díaz Marketing Digital', 'marketing'],
  ['Anna Chiara Marino', 'Marino Nutrizione e Benessere', 'nutrizionista'],
  ['Gian Marco Greco', 'Greco Serramenti su Misura', 'serramentista'],
  ['Carmen María Romero Vidal', 'Romero Vidal Abogados', 'abogada laboralista'],
  ['Paolo Emilio Bruno', 'Bruno Tipografia Artigiana', 'tipografo'],
  ['Elena Sofia Galli', 'Galli Architettura del Paesaggio', 'paesaggista'],
  ['Francisco Javier Moreno Gil', 'Moreno Gil Seguros', 'corredor de seguros'],
  ['Maria Luisa Costa', 'Costa Catering Gourmet', 'catering'],
  ['Gianfranco Leone Mancini', 'Mancini Auto e Noleggio', 'concessionario'],
  ['Lucía Isabel Navarro Ortega', 'Navarro Ortega Psicología', 'psicóloga'],
  ['Vittorio Emanuele Lombardi', 'Lombardi Energia Solare', 'fotovoltaico'],
];

export const VISITORS = [
  ['Maria Vittoria Santoro', 'Santoro Gioielli Artigianali'],
  ['Juan Pablo Herrera Castillo', 'Herrera Castillo Inmobiliaria'],
  ['Anna Lisa Ferretti', 'Ferretti Ottica e Contattologia'],
  ['Giuseppe Maria Longo', 'Longo Falegnameria'],
  ['Rocío Esperanza Molina', 'Molina Floristería'],
  ['Alessandro Valerio Rinaldi', 'Rinaldi Sicurezza e Allarmi'],
  ['Beatrice Eleonora Caruso', 'Caruso Formazione Aziendale'],
  ['Diego Armando Vázquez Ramos', 'Vázquez Ramos Logística'],
  ['Maria Cristina Fabbri', 'Fabbri Pulizie Industriali'],
  ['Tommaso Andrea Pellegrini', 'Pellegrini Vini e Distillati'],
  ['Nuria Montserrat Serrano', 'Serrano Diseño Gráfico'],
  ['Federico Ludovico Marchetti', 'Marchetti Noleggio Barche'],
];

// Who checks in (indices into MEMBERS): 20 of 24, the organizer among them.
const HERE = [...Array(20).keys()];

// Seeds chapter `id` on `server` (the chapter in `language`, amounts shown or not). Returns
// { chapter, meeting, members: [{name, token, displayName}], organizer, displayUrl }.
export async function seedLongNames(server, { id, chapterName, language, displayAmounts }) {
  const admin = server.adminToken();
  const chapter = `chapters/${id}`;
  await server.cli(admin, ['chapter', 'create', '--id', id, '--name', chapterName, '--weekday', 'tue',
    '--time', '07:00', '--timezone', 'Europe/Rome', '--currency', 'EUR']);
  await server.cli(admin, ['chapter', 'update', '--chapter', id, '--language', language,
    '--display-amounts', displayAmounts ? 'true' : 'false']);
  const api = async (token, method, body) => {
    const result = await server.api(token, method, method.includes('/Get') || method.includes('/List') ? body : { ...body, requestId: randomUUID() });
    assert.equal(result.status, 200, `${method}: ${result.text}`);
    return result.body;
  };
  const members = [];
  for (const [i, [displayName, business, category]] of MEMBERS.entries()) {
    const created = await api(admin, 'reciproca.v1.MemberService/CreateMember', {
      parent: chapter, member: { displayName, business, category, role: i === 0 ? 'ROLE_PRESIDENT' : 'ROLE_MEMBER' },
    });
    members.push({ name: created.member.name, token: created.accessToken, displayName });
  }
  const organizer = members[0];
  const startTime = new Date(Date.now() + 10 * 60 * 1000).toISOString();
  const meeting = (await api(organizer.token, 'reciproca.v1.MeetingService/ScheduleMeeting', { parent: chapter, startTime })).name;
  await api(organizer.token, 'reciproca.v1.MeetingService/OpenMeeting', { name: meeting });
  for (const i of HERE) await api(members[i].token, 'reciproca.v1.MeetingService/CheckIn', { meeting });
  for (const [i, [displayName, business]] of VISITORS.entries()) {
    await api(members[(i * 5) % members.length].token, 'reciproca.v1.MeetingService/RegisterVisitor', {
      meeting, visitor: { displayName, business, invitedBy: members[(i * 5) % members.length].name },
    });
  }
  // 30 referrals, 12 thank-yous (some large amounts), 8 one-to-ones: 50 events of business.
  for (let i = 0; i < 30; i += 1) {
    const giver = members[(i * 7) % members.length];
    const receiver = members[(i * 7 + 3 + (i % 5)) % members.length];
    const outside = i % 3 !== 0;
    const referral = {
      receiver: receiver.name, temperature: 1 + (i % 5), kind: outside ? 'REFERRAL_KIND_OUTSIDE' : 'REFERRAL_KIND_INSIDE', meeting,
    };
    if (outside) Object.assign(referral, { contactName: VISITORS[i % VISITORS.length][0], contactPhone: `+39 333 55501${String(i).padStart(2, '0')}` });
    await api(giver.token, 'reciproca.v1.ReferralService/GiveReferral', { parent: chapter, referral });
  }
  for (let i = 0; i < 12; i += 1) {
    const from = members[(i * 5 + 1) % members.length];
    const to = members[(i * 5 + 4) % members.length];
    const amount = (i % 4 === 0 ? 12500 + i * 1000 : 350 + i * 75).toFixed(2);
    await api(from.token, 'reciproca.v1.ReferralService/RecordThankYou', {
      parent: chapter, thankYou: { toMember: to.name, amount: { currency: 'EUR', amount }, businessType: i % 2 ? 'BUSINESS_TYPE_REPEAT' : 'BUSINESS_TYPE_NEW' },
    });
  }
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < 8; i += 1) {
    await api(members[i * 2].token, 'reciproca.v1.ReferralService/RecordOneToOne', {
      parent: chapter, oneToOne: { withMember: members[i * 2 + 1].name, date: today },
    });
  }
  const displayUrl = (await server.cli(organizer.token, ['display-url', '--chapter', id])).url;
  return { chapter, meeting, members, organizer, displayUrl, here: HERE.length, referrals: 30, thanks: 12, oneToOnes: 8 };
}
