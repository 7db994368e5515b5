// The message-level actor tests: CAF's own test runner (it provides main), because the
// DSL's checks need CAF's test engine. Every file of this folder is one CAF_SUITE.
#define CAF_SUITE actors
#include <caf/test/unit_test_impl.hpp>
