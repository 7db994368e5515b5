// A vector with room for its first few elements inside itself: a server rule's usual
// one to three decisions per event then cost no allocation (a heap block only beyond).
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

namespace psim::sim {

/// A vector of `T` that keeps up to `N` elements in place and moves to the heap beyond;
/// the subset of std::vector's interface that the server rules use.
template <class T, std::size_t N>
class inline_vector {
public:
  using value_type = T;           ///< the element type
  using iterator = T*;            ///< elements are contiguous
  using const_iterator = const T*; ///< elements are contiguous, read-only

  /// Empty.
  inline_vector() = default;

  /// The elements of `init`, in order.
  inline_vector(std::initializer_list<T> init) {
    reserve(init.size());
    std::uninitialized_copy(init.begin(), init.end(), data_);
    size_ = init.size();
  }

  /// A copy of `other`.
  inline_vector(const inline_vector& other) {
    reserve(other.size_);
    for (const auto& x : other)
      push_back(x);
  }

  /// Takes `other`'s elements (its heap block, or moves its inline ones).
  inline_vector(inline_vector&& other) noexcept { take(std::move(other)); }

  /// Copies `other`'s elements.
  inline_vector& operator=(const inline_vector& other) {
    if (this != &other) {
      clear();
      reserve(other.size_);
      for (const auto& x : other)
        push_back(x);
    }
    return *this;
  }

  /// Takes `other`'s elements.
  inline_vector& operator=(inline_vector&& other) noexcept {
    if (this != &other) {
      release();
      take(std::move(other));
    }
    return *this;
  }

  /// Destroys the elements and frees a heap block.
  ~inline_vector() { release(); }

  /// The number of elements.
  std::size_t size() const { return size_; }
  /// Whether there are none.
  bool empty() const { return size_ == 0; }
  /// The `i`th element.
  T& operator[](std::size_t i) { return data_[i]; }
  /// The `i`th element, read-only.
  const T& operator[](std::size_t i) const { return data_[i]; }
  /// The `i`th element; throws std::out_of_range past the end.
  const T& at(std::size_t i) const {
    if (i >= size_)
      throw std::out_of_range("inline_vector::at");
    return data_[i];
  }
  /// The first element.
  T& front() { return data_[0]; }
  /// The last element.
  T& back() { return data_[size_ - 1]; }
  /// The first element's position.
  iterator begin() { return data_; }
  /// Past the last element.
  iterator end() { return data_ + size_; }
  /// The first element's position, read-only.
  const_iterator begin() const { return data_; }
  /// Past the last element, read-only.
  const_iterator end() const { return data_ + size_; }

  /// Room for `n` elements without a further allocation.
  void reserve(std::size_t n) {
    if (n <= capacity_)
      return;
    auto* block = static_cast<T*>(::operator new(n * sizeof(T)));
    std::uninitialized_move(data_, data_ + size_, block);
    std::destroy(data_, data_ + size_);
    if (data_ != inline_data())
      ::operator delete(data_);
    data_ = block;
    capacity_ = n;
  }

  /// Appends an element made of `args`.
  template <class... Args>
  T& emplace_back(Args&&... args) {
    if (size_ == capacity_)
      reserve(2 * capacity_);
    auto* x = ::new (static_cast<void*>(data_ + size_)) T(std::forward<Args>(args)...);
    ++size_;
    return *x;
  }

  /// Appends a copy of `x`.
  void push_back(const T& x) { emplace_back(x); }
  /// Appends `x`.
  void push_back(T&& x) { emplace_back(std::move(x)); }

  /// Inserts `x` before `pos`.
  iterator insert(const_iterator pos, T x) {
    auto at = static_cast<std::size_t>(pos - data_);
    emplace_back(std::move(x));
    std::rotate(data_ + at, data_ + size_ - 1, data_ + size_);
    return data_ + at;
  }

  /// Inserts the elements of [`first`, `last`) before `pos`, in order.
  template <class It>
  iterator insert(const_iterator pos, It first, It last) {
    auto at = static_cast<std::size_t>(pos - data_);
    auto old = size_;
    reserve(size_ + static_cast<std::size_t>(std::distance(first, last)));
    for (; first != last; ++first)
      emplace_back(*first);
    std::rotate(data_ + at, data_ + old, data_ + size_);
    return data_ + at;
  }

  /// Removes the element at `pos`; the later ones move up.
  iterator erase(const_iterator pos) {
    auto* at = data_ + (pos - data_);
    for (auto* x = at; x + 1 != data_ + size_; ++x) { // each later one moves up a place
      std::destroy_at(x);
      ::new (static_cast<void*>(x)) T(std::move(x[1]));
    }
    std::destroy_at(data_ + --size_);
    return at;
  }

  /// Removes every element (keeping the room).
  void clear() {
    std::destroy(data_, data_ + size_);
    size_ = 0;
  }

private:
  T* inline_data() { return std::launder(reinterpret_cast<T*>(inline_)); }

  // Destroys the elements and frees a heap block; the vector is then empty and inline.
  void release() {
    clear();
    if (data_ != inline_data())
      ::operator delete(data_);
    data_ = inline_data();
    capacity_ = N;
  }

  // This (empty, inline) vector takes `other`'s elements; `other` is left empty.
  void take(inline_vector&& other) noexcept {
    if (other.data_ != other.inline_data()) {
      data_ = other.data_;
      capacity_ = other.capacity_;
      size_ = other.size_;
      other.data_ = other.inline_data();
      other.capacity_ = N;
      other.size_ = 0;
      return;
    }
    std::uninitialized_move(other.data_, other.data_ + other.size_, data_);
    size_ = other.size_;
    other.clear();
  }

  alignas(T) unsigned char inline_[N * sizeof(T)]; // the first N elements' room
  T* data_ = inline_data();                        // inline_ or a heap block
  std::size_t size_ = 0;                           // elements held
  std::size_t capacity_ = N;                       // room in data_
};

/// Equal sizes and equal elements in order.
template <class T, std::size_t N>
bool operator==(const inline_vector<T, N>& a, const inline_vector<T, N>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}
/// Not equal.
template <class T, std::size_t N>
bool operator!=(const inline_vector<T, N>& a, const inline_vector<T, N>& b) {
  return !(a == b);
}

} // namespace psim::sim
