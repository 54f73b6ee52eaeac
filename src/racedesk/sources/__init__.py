"""racedesk.sources"""
