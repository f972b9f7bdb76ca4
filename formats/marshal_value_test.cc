#include "camlsym/formats/marshal_value.h"

#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

TEST(ValueTest, IntsAreImmediateAndWrapTo63Bits) {
  EXPECT_TRUE(Value::Int(5).is_int());
  EXPECT_EQ(Value::Int(-5).int_value(), -5);
  EXPECT_EQ(Value::Int(kMaxOCamlInt).int_value(), kMaxOCamlInt);
  EXPECT_EQ(Value::Int(kMinOCamlInt).int_value(), kMinOCamlInt);
  // Val_long(max_int + 1) is min_int in OCaml.
  EXPECT_EQ(Value::Int(kMaxOCamlInt + 1).int_value(), kMinOCamlInt);
  EXPECT_FALSE(Value::Ref(3).is_int());
  EXPECT_EQ(Value::Ref(3).node(), 3u);
  EXPECT_EQ(Value::Unit(), Value::Int(0));
}

TEST(MarshalGraphTest, TypedAccessorsAcceptTheRightShapes) {
  MarshalGraph g;
  const Value s = g.AddString(std::string("a\0b", 3));
  const Value e[] = {Value::Int(1), s};
  const Value list = g.AddList(e);
  const Value some = g.AddOption(Value::Int(4));
  const Value d = g.AddDouble(2.5);
  const double ds[] = {1, 2};
  const Value da = g.AddDoubleArray(ds);
  const Value i32 = g.AddInt32(-2);
  EXPECT_EQ(*g.GetInt(Value::Int(-7)), -7);
  EXPECT_EQ(*g.GetSmallInt(Value::Int(-7)), -7);
  EXPECT_TRUE(*g.GetBool(Value::Int(1)));
  EXPECT_FALSE(*g.GetBool(Value::Int(0)));
  EXPECT_EQ(*g.GetString(s), std::string_view("a\0b", 3));
  EXPECT_EQ(g.GetList(list)->size(), 2u);
  EXPECT_EQ((*g.GetList(list))[1], s);
  EXPECT_TRUE(g.GetList(Value::Int(0))->empty());
  EXPECT_EQ(**g.GetOption(some), Value::Int(4));
  EXPECT_FALSE(g.GetOption(Value::Int(0))->has_value());
  EXPECT_EQ(*g.GetDouble(d), 2.5);
  EXPECT_EQ(g.GetDoubleArray(da)->size(), 2u);
  EXPECT_EQ(g.GetCustom(i32)->identifier, "_i");
  EXPECT_EQ(g.GetCustom(i32)->payload, std::string_view("\xff\xff\xff\xfe", 4));
  EXPECT_EQ(g.GetBlock(list, 0, 2)->size(), 2u);
  EXPECT_EQ(g.GetBlock(some)->tag, 0);
  EXPECT_EQ(*g.Kind(s), NodeKind::kString);
}

TEST(MarshalGraphTest, TypedAccessorsRejectOtherShapesWithInvalidArgument) {
  MarshalGraph g;
  const Value s = g.AddString("x");
  const Value pair[] = {Value::Int(1), Value::Int(2)};
  const Value tuple = g.AddBlock(1, pair);
  const Value bad_list_cell[] = {Value::Int(1), Value::Int(5)};
  const Value bad_list = g.AddBlock(0, bad_list_cell);
  auto is_invalid = [](const absl::Status& st) {
    return st.code() == absl::StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(is_invalid(g.GetInt(s).status()));
  EXPECT_TRUE(is_invalid(g.GetSmallInt(Value::Int(int64_t{1} << 40)).status()));
  EXPECT_TRUE(is_invalid(g.GetBool(Value::Int(2)).status()));
  EXPECT_TRUE(is_invalid(g.GetString(Value::Int(0)).status()));
  EXPECT_TRUE(is_invalid(g.GetString(tuple).status()));
  EXPECT_TRUE(is_invalid(g.GetBlock(tuple, 0, 2).status()));
  EXPECT_TRUE(is_invalid(g.GetBlock(tuple, 1, 3).status()));
  EXPECT_TRUE(is_invalid(g.GetList(tuple).status()));
  EXPECT_TRUE(is_invalid(g.GetList(bad_list).status()));
  EXPECT_TRUE(is_invalid(g.GetOption(tuple).status()));
  EXPECT_TRUE(is_invalid(g.GetDouble(s).status()));
  EXPECT_TRUE(is_invalid(g.GetDoubleArray(s).status()));
  EXPECT_TRUE(is_invalid(g.GetCustom(s).status()));
  EXPECT_TRUE(is_invalid(g.Kind(Value::Int(0)).status()));
  EXPECT_TRUE(is_invalid(g.Kind(Value::Ref(99)).status()));
  EXPECT_TRUE(is_invalid(g.GetString(Value::Ref(99)).status()));
  EXPECT_NE(g.GetString(tuple).status().message().find("block tag 1 size 2"),
            absl::string_view::npos);
}

TEST(MarshalGraphTest, CyclicListIsAnError) {
  MarshalGraph g;
  const Value cell = g.AddBlockOfSize(0, 2);
  ASSERT_TRUE(g.SetField(cell, 1, cell).ok());
  EXPECT_EQ(g.GetList(cell).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MarshalGraphTest, SetFieldChecksItsArguments) {
  MarshalGraph g;
  const Value b = g.AddBlockOfSize(0, 1);
  EXPECT_TRUE(g.SetField(b, 0, Value::Int(3)).ok());
  EXPECT_EQ(g.GetBlock(b)->fields[0], Value::Int(3));
  EXPECT_EQ(g.SetField(b, 1, Value::Int(3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetField(g.AddString("s"), 0, Value::Int(3)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetField(Value::Int(0), 0, Value::Int(3)).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MarshalGraphTest, NativeintPayloadFollowsTheRuntimesWidthChoice) {
  MarshalGraph g;
  EXPECT_EQ(g.GetCustom(g.AddNativeint(1))->payload.size(), 5u);
  EXPECT_EQ(g.GetCustom(g.AddNativeint(int64_t{1} << 40))->payload.size(), 9u);
  EXPECT_EQ(g.GetCustom(g.AddNativeint(1))->size_32_bytes, 4u);
  EXPECT_EQ(g.GetCustom(g.AddNativeint(1))->size_64_bytes, 8u);
}

}  // namespace
}  // namespace camlsym::formats
