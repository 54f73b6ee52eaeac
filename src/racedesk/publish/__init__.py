"""racedesk.publish"""
