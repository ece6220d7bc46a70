// The phone page's state: what it knows of the chapter, the member and the meeting, the API's
// method names, and the few questions every part asks of it (is the meeting open? am I an
// organizer?). No DOM here.

import { loadJson, saveJson } from '/shared/api.js';
import { Roster, shortId } from '/shared/format.js';

export const TOKEN_KEY = 'reciproca.app.token';
export const CACHE_KEY = 'reciproca.app.cache';
export const OUTBOX_KEY = 'reciproca.app.outbox';
export const REJECTED_KEY = 'reciproca.app.rejected';
// The member's pick of language (absent: the browser's), kept across sign-outs.
export const LANGUAGE_KEY = 'reciproca.app.language';

export const M = {
  whoAmI: 'reciproca.v1.ChapterService/WhoAmI',
  getChapter: 'reciproca.v1.ChapterService/GetChapter',
  listMembers: 'reciproca.v1.MemberService/ListMembers',
  createMember: 'reciproca.v1.MemberService/CreateMember',
  updateMember: 'reciproca.v1.MemberService/UpdateMember',
  removeMember: 'reciproca.v1.MemberService/RemoveMember',
  getMemberToken: 'reciproca.v1.MemberService/GetMemberToken',
  getDisplayToken: 'reciproca.v1.ChapterService/GetDisplayToken',
  updateChapter: 'reciproca.v1.ChapterService/UpdateChapter',
  listMeetings: 'reciproca.v1.MeetingService/ListMeetings',
  checkIn: 'reciproca.v1.MeetingService/CheckIn',
  scheduleMeeting: 'reciproca.v1.MeetingService/ScheduleMeeting',
  openMeeting: 'reciproca.v1.MeetingService/OpenMeeting',
  startSegment: 'reciproca.v1.MeetingService/StartSegment',
  recordAttendance: 'reciproca.v1.MeetingService/RecordAttendance',
  registerVisitor: 'reciproca.v1.MeetingService/RegisterVisitor',
  registerSubstitute: 'reciproca.v1.MeetingService/RegisterSubstitute',
  inviteVisitor: 'reciproca.v1.MeetingService/InviteVisitor',
  listVisitors: 'reciproca.v1.MeetingService/ListVisitors',
  moveVisitor: 'reciproca.v1.MeetingService/MoveVisitor',
  closeMeeting: 'reciproca.v1.MeetingService/CloseMeeting',
  cancelMeeting: 'reciproca.v1.MeetingService/CancelMeeting',
  submitPalms: 'reciproca.v1.MeetingService/SubmitPalms',
  giveReferral: 'reciproca.v1.ReferralService/GiveReferral',
  updateStatus: 'reciproca.v1.ReferralService/UpdateReferralStatus',
  listReferrals: 'reciproca.v1.ReferralService/ListReferrals',
  thankYou: 'reciproca.v1.ReferralService/RecordThankYou',
  oneToOne: 'reciproca.v1.ReferralService/RecordOneToOne',
  getPalmsReport: 'reciproca.v1.ReportService/GetPalmsReport',
  getRelationshipMatrix: 'reciproca.v1.ReportService/GetRelationshipMatrix',
  getAbsenceReport: 'reciproca.v1.ReportService/GetAbsenceReport',
  getScores: 'reciproca.v1.InsightService/GetScores',
  listReminders: 'reciproca.v1.InsightService/ListReminders',
  getPushSettings: 'reciproca.v1.PushService/GetPushSettings',
  subscribePush: 'reciproca.v1.PushService/SubscribePush',
  unsubscribePush: 'reciproca.v1.PushService/UnsubscribePush',
};

// Attendance in which a member (or their substitute) is in the room and may speak.
export const HERE = new Set(['ATTENDANCE_STATUS_PRESENT', 'ATTENDANCE_STATUS_LATE', 'ATTENDANCE_STATUS_SUBSTITUTE']);

export const state = {
  token: '',
  chapterName: '',
  memberName: '',
  kind: '', // WhoAmI's principal kind: PRINCIPAL_KIND_ORGANIZER sees "Run the meeting"
  chapter: null,
  roster: new Roster(),
  meeting: null,
  meetings: [], // the newest few, newest first
  serverOffset: 0, // server clock minus this phone's clock, from the stream's time frames
  attendanceErrors: new Map(), // member -> the server's message for a refused correction
  inbox: [],
  scores: new Map(), // window -> MemberScore
  scoreWindow: '',
  outbox: null,
  stream: null,
  streamState: 'connecting',
  loaded: false,
  rejected: loadJson(REJECTED_KEY, []),
  forms: {}, // form key -> request id of the submission the form waits for
};

export function saveCache() {
  saveJson(CACHE_KEY, {
    chapterName: state.chapterName,
    memberName: state.memberName,
    kind: state.kind,
    chapter: state.chapter,
    members: [...state.roster.members.values()],
    meeting: state.meeting,
    meetings: state.meetings,
    inbox: state.inbox,
  });
}

export function meetingOpen() {
  const m = state.meeting;
  return !!m && (m.state === 'MEETING_STATE_OPEN' || m.state === 'MEETING_STATE_IN_PROGRESS');
}

export function isOrganizer() {
  return state.kind === 'PRINCIPAL_KIND_ORGANIZER';
}

export function currentSegment() {
  const segments = (state.meeting && state.meeting.segments) || [];
  return segments.length ? segments[segments.length - 1] : null;
}

export function tz() {
  return state.chapter ? state.chapter.timeZone : undefined;
}

// Members in roster order (the order they joined; the order of "next speaker").
export function rosterOrder() {
  return state.roster.active().sort((a, b) => Number(shortId(a.name)) - Number(shortId(b.name)) ||
    a.name.localeCompare(b.name));
}
