#include "server/domain/chapter.h"

namespace reciproca::domain {

ChapterState Chapter::ExportState() const {
  return ChapterState{info_,
                      last_seq_,
                      display_token_generation_,
                      members_,
                      meetings_,
                      referrals_,
                      thank_yous_,
                      one_to_ones_,
                      education_,
                      testimonials_,
                      plugins_,
                      category_owner_,
                      palms_summaries_,
                      imports_,
                      invitations_};
}

Chapter Chapter::FromState(ChapterState state) {
  Chapter chapter;
  chapter.info_ = std::move(state.info);
  chapter.last_seq_ = state.last_seq;
  chapter.display_token_generation_ = state.display_token_generation;
  chapter.members_ = std::move(state.members);
  chapter.meetings_ = std::move(state.meetings);
  chapter.referrals_ = std::move(state.referrals);
  chapter.thank_yous_ = std::move(state.thank_yous);
  chapter.one_to_ones_ = std::move(state.one_to_ones);
  chapter.education_ = std::move(state.education);
  chapter.testimonials_ = std::move(state.testimonials);
  chapter.plugins_ = std::move(state.plugins);
  chapter.category_owner_ = std::move(state.category_owner);
  chapter.palms_summaries_ = std::move(state.palms_summaries);
  chapter.imports_ = std::move(state.imports);
  chapter.invitations_ = std::move(state.invitations);
  return chapter;
}

}  // namespace reciproca::domain
