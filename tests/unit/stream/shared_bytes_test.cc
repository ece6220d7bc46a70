#include "server/stream/shared_bytes.h"

#include <gtest/gtest.h>

#include <string>

namespace reciproca::stream {
namespace {

TEST(SharedBytesTest, DefaultIsEmptyWithoutOwner) {
  SharedBytes bytes;
  EXPECT_TRUE(bytes.empty());
  EXPECT_EQ(bytes.size(), 0u);
  EXPECT_EQ(bytes.view(), "");
  EXPECT_EQ(bytes.owner(), nullptr);
}

TEST(SharedBytesTest, HoldsTheBytesNulsIncluded) {
  const std::string serialized("ev\0nt", 5);
  SharedBytes bytes(serialized);
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.size(), 5u);
  EXPECT_EQ(bytes.view(), serialized);
}

TEST(SharedBytesTest, CopiesShareOneBuffer) {
  SharedBytes original(std::string(1000, 'x'));
  SharedBytes copy = original;
  EXPECT_EQ(copy.owner(), original.owner());
  EXPECT_EQ(copy.view().data(), original.view().data());
  EXPECT_EQ(original.owner().use_count(), 2);
}

TEST(SharedBytesTest, BytesOutliveTheOriginalWhileAReferenceIsHeld) {
  std::shared_ptr<const std::string> held;
  {
    SharedBytes bytes(std::string("event"));
    held = bytes.owner();
  }
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, "event");
  EXPECT_EQ(held.use_count(), 1);
}

}  // namespace
}  // namespace reciproca::stream
