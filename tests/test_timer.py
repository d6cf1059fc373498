"""The countdown keeps a deadline: late, irregular or paused reads never lose or gain time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kneetui.engine.clock import FakeClock
from kneetui.engine.timer import CountdownTimer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_new_countdown_is_running_with_its_whole_duration(clock):
    timer = CountdownTimer(clock, 30)
    assert timer.running and not timer.paused and not timer.expired
    assert timer.remaining() == 30
    assert timer.elapsed() == 0
    assert timer.duration == 30


def test_it_expires_exactly_at_the_deadline_and_not_a_moment_before(clock):
    timer = CountdownTimer(clock, 30)
    clock.advance(29.75)
    assert timer.remaining() == 0.25 and not timer.expired
    clock.advance(0.25)
    assert timer.expired and not timer.running
    assert timer.remaining() == 0
    clock.advance(100)
    assert timer.remaining() == 0, "remaining time never goes negative"
    assert timer.elapsed() == 30


def test_a_fifteen_minute_block_read_four_times_a_second_ends_on_time(clock):
    timer = CountdownTimer(clock, 15 * 60)
    reads = 0
    while not timer.expired:
        clock.advance(0.25)
        reads += 1
    assert reads == 15 * 60 * 4


def test_a_three_hour_countdown_read_at_irregular_moments_keeps_its_deadline(clock):
    start = clock.now()
    timer = CountdownTimer(clock, 3 * 3600)
    for step in [0.1, 7, 0.013, 1234.5, 3.3] * 8:
        clock.advance(step)
        assert timer.remaining() == pytest.approx(3 * 3600 - (clock.now() - start))
    assert timer.deadline == start + 3 * 3600
    clock.advance(start + 3 * 3600 - clock.now())
    assert timer.expired


def test_pausing_keeps_the_remaining_time_however_long_the_pause(clock):
    timer = CountdownTimer(clock, 60)
    clock.advance(20)
    timer.pause()
    clock.advance(3600)
    assert timer.paused and not timer.running
    assert timer.remaining() == 40
    timer.resume()
    clock.advance(40)
    assert timer.expired


def test_a_thousand_pause_and_resume_cycles_lose_nothing(clock):
    timer = CountdownTimer(clock, 15 * 60)
    counted = 0.0
    for _ in range(1000):
        clock.advance(0.5)
        counted += 0.5
        timer.pause()
        clock.advance(2.0)
        timer.resume()
    assert timer.elapsed() == pytest.approx(counted, abs=1e-9)
    assert timer.remaining() == pytest.approx(15 * 60 - counted, abs=1e-9)


def test_pausing_twice_or_resuming_a_running_countdown_changes_nothing(clock):
    timer = CountdownTimer(clock, 10)
    timer.resume()
    clock.advance(3)
    timer.pause()
    timer.pause()
    clock.advance(5)
    assert timer.remaining() == 7


def test_adding_time_moves_the_deadline_and_the_duration(clock):
    timer = CountdownTimer(clock, 30)
    clock.advance(10)
    timer.adjust(+15)
    assert timer.remaining() == 35
    assert timer.duration == 45
    assert timer.elapsed() == 10


def test_taking_time_away_never_goes_below_zero(clock):
    timer = CountdownTimer(clock, 30)
    clock.advance(10)
    timer.adjust(-5)
    assert timer.remaining() == 15
    timer.adjust(-100)
    assert timer.remaining() == 0 and timer.expired
    assert timer.duration == 10 and timer.elapsed() == 10


def test_adjusting_while_paused_changes_what_is_left_when_resumed(clock):
    timer = CountdownTimer(clock, 30)
    clock.advance(10)
    timer.pause()
    timer.adjust(+5)
    clock.advance(99)
    assert timer.remaining() == 25
    timer.resume()
    clock.advance(25)
    assert timer.expired


def test_an_expired_countdown_given_more_time_counts_on_from_now(clock):
    timer = CountdownTimer(clock, 5)
    clock.advance(8)
    timer.adjust(+10)
    assert timer.remaining() == 10 and timer.running


def test_a_countdown_can_start_where_the_previous_one_ended(clock):
    first = CountdownTimer(clock, 5)
    clock.advance(5.4)  # the code that notices the end runs 0.4 s late
    second = CountdownTimer(clock, 10, started_at=first.deadline)
    assert second.remaining() == pytest.approx(9.6)


def test_a_negative_duration_is_refused(clock):
    with pytest.raises(ValueError, match="cannot be shorter than zero"):
        CountdownTimer(clock, -1)


def test_a_negative_duration_is_refused_in_words():
    with pytest.raises(ValueError, match=r"^a countdown cannot be shorter than zero seconds$"):
        CountdownTimer(FakeClock(), -0.5)


def test_time_added_in_the_last_second_adds_to_what_is_left(clock):
    timer = CountdownTimer(clock, 10)
    clock.advance(9.5)
    timer.adjust(5)
    assert timer.remaining() == 5.5 and timer.duration == 15


def test_the_fake_clock_moves_only_when_told_and_keeps_wall_time_in_step():
    clock = FakeClock(start=10.0, wall_start=5000.0)
    assert (clock.now(), clock.wall()) == (10.0, 5000.0)
    clock.advance(2.5)
    clock.advance(0)
    assert (clock.now(), clock.wall()) == (12.5, 5002.5)
    with pytest.raises(ValueError, match=r"^a clock does not go backwards$"):
        clock.advance(-0.1)


def test_the_fake_clock_starts_at_new_year_2026():
    assert FakeClock().wall() == datetime(2026, 1, 1, tzinfo=UTC).timestamp()
